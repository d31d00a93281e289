/** Replaced at build time with the console's package version (vite.config.ts `define`). */
declare const __CLEARWAY_VERSION__: string;
