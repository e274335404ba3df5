export * from './lib/personal-data-protector';
