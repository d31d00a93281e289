export * from './common.ts';
export * from './scan.ts';
export * from './session.ts';
export * from './events.ts';
export * from './errors.ts';
