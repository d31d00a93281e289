export { DicosHotFolder, type DicosHotFolderOptions } from './adapter.ts';
export { runDicosHotFolder, type HotFolderRunOptions, type HotFolderSummary } from './run.ts';
export { operatorTdrUid, writeOperatorTdrFile, type OperatorTdrOutcome } from './operator-tdr.ts';
export { bagTagFor, isMachineTdr, scanFromDicos, scanIdFor, type ScanContext } from './scan.ts';
export { moveInto, quarantine, writeFileAtomic, type QuarantineReason } from './files.ts';
