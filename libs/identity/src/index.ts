export * from './lib/luhn';
export * from './lib/identity-number';
