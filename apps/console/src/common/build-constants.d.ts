/** Replaced at build time with the console's package version (vite.config.ts `define`). */
declare const __CLEARWAY_VERSION__: string;
/** Where the build keeps onnxruntime-web's .wasm and .mjs files, e.g. "assets/ort-1.30.0/" (vite.config.ts). */
declare const __CLEARWAY_ORT_DIR__: string;
