export * from './lib/tickets';
export * from './lib/call-order';
