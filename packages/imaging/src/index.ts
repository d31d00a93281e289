export * from './dual-energy.ts';
export * from './settings.ts';
export * from './tools.ts';
export * from './shaders.ts';
