// @clearway/dicos: DICOS (NEMA IIC 1) in and out, on top of dcmjs. Bytes in, objects out; no file system.
export { DicosError, DICOS_ERROR_REASONS, isDicosError, type DicosErrorReason } from './errors.ts';
export { readDicos } from './read.ts';
export type { DicosImage, DicosImageType, DicosObject, DicosObjectBase, DicosPto, DicosReference, DicosTdr } from './types.ts';
export type { PixelFormat, StoredPixels } from './pixels.ts';
export {
  TDR_TAGS, writeMachineTdr, writeOperatorTdr,
  type AssessmentFlag, type MachineTdrInput, type OperatorDecision, type OperatorTdrInput, type TdrPtoInput,
} from './tdr.ts';
export { writeCtVolume, writeDxImage, writeImage, type WriteImageInput } from './image-write.ts';
export {
  ATTENUATION_SCALE, IMPENETRABLE, MU_WATER_PER_CM,
  availableViews, ctProjections, detectionsToPtos, dxFrameAttenuation, dxValueRange, imageToScanViews, tdrToMachineResult,
  type ImageGeometry, type MachineResultOptions, type Projection,
} from './convert.ts';
export { inspect, type DicosInspection, type InspectPto } from './inspect.ts';
export {
  SOP_CLASS, SUPPORTED_TRANSFER_SYNTAXES, TRANSFER_SYNTAX, isValidUid, newUid, sopClassName, transferSyntaxName, uidFromUuid,
} from './uids.ts';
export { dictionaryEntry } from './dcm.ts';
