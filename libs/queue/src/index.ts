export * from './lib/tickets';
export * from './lib/call-order';
export * from './lib/service-times';
export * from './lib/wait-estimate';
export * from './lib/wait-band';
export * from './lib/check-in';
