export {
  BELT_CM,
  DEFAULT_VIEW_HEIGHT,
  DEFAULT_VIEW_WIDTH,
  GENERATOR_VERSION,
  THREAT_CLASSES,
  TUNNEL_HEIGHT_CM,
  TUNNEL_WIDTH_CM,
  generateBag,
  packBag,
  renderScene,
  sideViewWidth,
  type BagGeneratorOptions,
  type BagItem,
  type BagScene,
  type BagStyle,
  type GeneratedBag,
  type GeneratedView,
  type PixelBox,
  type RenderedImage,
  type RenderedScene,
  type ThreatClass,
  type ThreatTruth,
} from './bag-generator.ts';
export { licencePlate } from './bag-tag.ts';
export { datasetBagSeed, viewToPng, writeDataset, yoloLines, type DatasetOptions, type DatasetSummary } from './dataset.ts';
export { DETECTOR_DEFAULTS, detect, type DetectorOptions } from './detector.ts';
export { EFFECTIVE_ENERGY_KEV, MATERIALS, MATERIAL_NAMES, NIST_MU_RHO, materialsAt, substanceMuRho, type Material, type MaterialName } from './materials.ts';
export { Random, mixSeed } from './prng.ts';
export { runScannerSimulator, type ScannerSimulatorOptions, type ScannerSimulatorSummary } from './run.ts';
export { SimulatedScanner, type SimulatedScannerOptions } from './scanner.ts';
export { TIP_LIBRARY_PLAN, TIP_LIBRARY_SEED, TIP_PITCH_CM, renderTipItem, renderTipLibrary, renderTipPose, type RenderedTipItem } from './tip-library.ts';
