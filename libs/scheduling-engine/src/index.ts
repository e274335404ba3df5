export * from './lib/types';
export * from './lib/availability';
export * from './lib/joint-visit';
