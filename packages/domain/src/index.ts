export * from './assignment.ts';
export * from './stats.ts';
