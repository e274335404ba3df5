export * from './lib/tickets';
