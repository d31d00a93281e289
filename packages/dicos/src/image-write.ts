/**
 * Writing DX images and CT volumes: test-helper grade, for fixtures and demos. Any pixel layout
 * readDicos reads can be written: 8/16/32/64 bits, signed or unsigned, float or double, Bits
 * Stored below Bits Allocated, several frames, either little-endian transfer syntax.
 */
import type { NaturalDataset } from './dcm.ts';
import { writeFile } from './dcm.ts';
import { SOP_CLASS, TRANSFER_SYNTAX, newUid } from './uids.ts';
import { toDicomDate, toDicomDateTime, toDicomTime } from './values.ts';

export interface WriteImageInput {
  rows: number;
  columns: number;
  /** Default 1. Number of Frames is written when above 1 (or when `alwaysWriteFrames`). */
  frames?: number;
  alwaysWriteFrames?: boolean;
  /** Stored values, frame after frame, row-major: rows × columns × frames of them. */
  pixels: ArrayLike<number>;
  /** Default 16. */
  bitsAllocated?: 8 | 16 | 32 | 64;
  /** Default bitsAllocated. Values are written as given: keep them within Bits Stored. */
  bitsStored?: number;
  /** 0 unsigned (default), 1 signed. */
  pixelRepresentation?: 0 | 1;
  /** Float Pixel Data (32 bits) or Double Float Pixel Data (64 bits) instead of Pixel Data. */
  float?: boolean;
  /** 'explicit' (default), 'implicit', or a transfer syntax UID (others are written as explicit VR LE but labelled so: for tests of refusal). */
  transferSyntax?: 'explicit' | 'implicit' | string;
  photometricInterpretation?: 'MONOCHROME1' | 'MONOCHROME2';
  rescaleSlope?: number;
  rescaleIntercept?: number;
  rescaleType?: string;
  sopClassUid?: string;
  sopInstanceUid?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  accessionNumber?: string;
  modality?: string;
  /** Row then column spacing in mm. */
  pixelSpacing?: [number, number];
  sliceThickness?: number;
  acquiredAt?: Date;
  /** More attributes by keyword (ImageType, EnergyWeightingFactor, …); they win over the defaults. */
  extra?: NaturalDataset;
}

function encodePixels(input: WriteImageInput): { key: 'PixelData' | 'FloatPixelData' | 'DoubleFloatPixelData'; buffer: ArrayBuffer; vr?: string } {
  const bits = input.bitsAllocated ?? 16;
  const signed = input.pixelRepresentation === 1;
  const values = input.pixels;
  const n = values.length;
  if (input.float) {
    if (bits !== 32 && bits !== 64) throw new RangeError('float pixels have 32 or 64 bits allocated');
    const out = bits === 32 ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = values[i] ?? 0;
    return { key: bits === 32 ? 'FloatPixelData' : 'DoubleFloatPixelData', buffer: out.buffer };
  }
  if (bits === 64) {
    const out = signed ? new BigInt64Array(n) : new BigUint64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(Math.trunc(values[i] ?? 0));
    return { key: 'PixelData', buffer: out.buffer, vr: 'OW' };
  }
  const Ctor = bits === 8 ? (signed ? Int8Array : Uint8Array) : bits === 16 ? (signed ? Int16Array : Uint16Array) : signed ? Int32Array : Uint32Array;
  const out = new Ctor(n);
  for (let i = 0; i < n; i++) out[i] = values[i] ?? 0;
  return { key: 'PixelData', buffer: out.buffer as ArrayBuffer, vr: bits === 8 ? 'OB' : 'OW' };
}

function transferSyntaxUid(ts: WriteImageInput['transferSyntax']): string {
  if (ts === undefined || ts === 'explicit') return TRANSFER_SYNTAX.explicitLittleEndian;
  if (ts === 'implicit') return TRANSFER_SYNTAX.implicitLittleEndian;
  return ts;
}

/** A DICOS image file (DX by default) from its stored pixel values. */
export function writeImage(input: WriteImageInput): Uint8Array {
  const frames = input.frames ?? 1;
  const expected = input.rows * input.columns * frames;
  if (input.pixels.length !== expected) throw new RangeError(`expected ${expected} pixel values (rows × columns × frames), got ${input.pixels.length}`);
  const bits = input.bitsAllocated ?? 16;
  const bitsStored = input.bitsStored ?? bits;
  const sopClassUid = input.sopClassUid ?? SOP_CLASS.dxForPresentation;
  const sopInstanceUid = input.sopInstanceUid ?? newUid();
  const ct = sopClassUid === SOP_CLASS.ct;
  const photometric = input.photometricInterpretation ?? 'MONOCHROME2';
  const pixels = encodePixels(input);
  const at = input.acquiredAt ?? new Date();
  const ds: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['ORIGINAL', 'PRIMARY'],
    InstanceCreationDate: toDicomDate(new Date()),
    InstanceCreationTime: toDicomTime(new Date()),
    AcquisitionDateTime: toDicomDateTime(at),
    ContentDate: toDicomDate(at),
    ContentTime: toDicomTime(at),
    TimezoneOffsetFromUTC: '+0000',
    AccessionNumber: input.accessionNumber,
    Modality: input.modality ?? (ct ? 'CT' : 'DX'),
    StudyInstanceUID: input.studyInstanceUid ?? newUid(),
    SeriesInstanceUID: input.seriesInstanceUid ?? newUid(),
    SeriesNumber: 1,
    InstanceNumber: 1,
    ...(ct ? {} : {
      PresentationIntentType: sopClassUid === SOP_CLASS.dxForProcessing ? 'FOR PROCESSING' : 'FOR PRESENTATION',
      PixelIntensityRelationship: 'LIN',
      PixelIntensityRelationshipSign: photometric === 'MONOCHROME1' ? -1 : 1,
    }),
    SamplesPerPixel: 1,
    PhotometricInterpretation: photometric,
    ...(frames > 1 || input.alwaysWriteFrames ? { NumberOfFrames: frames } : {}),
    Rows: input.rows,
    Columns: input.columns,
    PixelSpacing: input.pixelSpacing,
    SliceThickness: input.sliceThickness,
    BitsAllocated: bits,
    ...(input.float ? {} : { BitsStored: bitsStored, HighBit: bitsStored - 1, PixelRepresentation: input.pixelRepresentation ?? 0 }),
    RescaleIntercept: input.rescaleIntercept ?? (ct ? 0 : undefined),
    RescaleSlope: input.rescaleSlope ?? (ct ? 1 : undefined),
    RescaleType: input.rescaleType ?? (ct ? 'HU' : undefined),
    ...input.extra,
    [pixels.key]: [pixels.buffer],
    ...(pixels.vr ? { _vrMap: { PixelData: pixels.vr } } : {}),
  };
  return writeFile(ds, { sopClassUid, sopInstanceUid, transferSyntaxUid: transferSyntaxUid(input.transferSyntax) });
}

/** A DX image (for presentation unless `sopClassUid` says for processing). */
export function writeDxImage(input: WriteImageInput): Uint8Array {
  return writeImage(input);
}

/** A CT volume: one frame per slice, values in HU unless a rescale says otherwise. */
export function writeCtVolume(input: Omit<WriteImageInput, 'sopClassUid'>): Uint8Array {
  return writeImage({ ...input, sopClassUid: SOP_CLASS.ct });
}
