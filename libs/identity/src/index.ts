export * from './lib/luhn';
export * from './lib/identity-number';
export * from './lib/identity-number-text';
