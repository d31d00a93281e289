export {
  DEFAULT_VIEW_HEIGHT,
  DEFAULT_VIEW_WIDTH,
  generateBag,
  sideViewWidth,
  type BagGeneratorOptions,
  type BagItem,
  type BagStyle,
  type GeneratedBag,
  type GeneratedView,
  type PixelBox,
} from './bag-generator.ts';
export { licencePlate } from './bag-tag.ts';
export { MATERIALS, type Material, type MaterialName } from './materials.ts';
export { Random, mixSeed } from './prng.ts';
export { runScannerSimulator, type ScannerSimulatorOptions, type ScannerSimulatorSummary } from './run.ts';
export { SimulatedScanner, type SimulatedScannerOptions } from './scanner.ts';
