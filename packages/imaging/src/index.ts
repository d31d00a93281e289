export * from './dual-energy.ts';
