import type { NaturalDataset } from './dcm.ts';
import { lastTag, parseFile } from './dcm.ts';
import { DicosError } from './errors.ts';
import { decodeRange, storedPixels, storedRange, type PixelFormat, type PixelSource } from './pixels.ts';
import { readTdr } from './tdr.ts';
import type { DicosImage, DicosImageType, DicosObject, DicosObjectBase } from './types.ts';
import { SOP_CLASS, isValidUid, sopClassName, transferSyntaxName } from './uids.ts';
import { binary, dicomDateTimeToIso, num, nums, seq, str, strs } from './values.ts';

const PIXEL_ELEMENTS = ['PixelData', 'FloatPixelData', 'DoubleFloatPixelData'] as const;

/** A UID from the data set, or else from the file meta information. */
function requireUid(ds: NaturalDataset, meta: NaturalDataset, key: string, metaKey: string, label: string): string {
  const uid = str(ds, key) ?? str(meta, metaKey);
  if (!uid) throw new DicosError('missing-attribute', `no ${label}`);
  if (!isValidUid(uid)) throw new DicosError('missing-attribute', `${label} is not a valid UID: ${JSON.stringify(uid.slice(0, 80))}`);
  return uid;
}

function optionalUid(ds: NaturalDataset, key: string): string | undefined {
  const uid = str(ds, key);
  return uid && isValidUid(uid) ? uid : undefined;
}

function acquiredAt(ds: NaturalDataset): string | undefined {
  const zone = str(ds, 'TimezoneOffsetFromUTC');
  const dt = str(ds, 'AcquisitionDateTime');
  const pairs: [string | undefined, string | undefined][] = [
    [str(ds, 'AcquisitionDate'), str(ds, 'AcquisitionTime')],
    [str(ds, 'ContentDate'), str(ds, 'ContentTime')],
    [str(ds, 'StudyDate'), str(ds, 'StudyTime')],
  ];
  const fromDt = dicomDateTimeToIso(dt, zone);
  if (fromDt) return fromDt;
  for (const [d, t] of pairs) {
    if (!d) continue;
    const iso = dicomDateTimeToIso(`${d}${(t ?? '').replace(/:/g, '')}`, zone);
    if (iso) return iso;
  }
  return undefined;
}

function positiveInt(ds: NaturalDataset, key: string, tag: string, fallback?: number): number {
  const v = num(ds, key) ?? fallback;
  if (v === undefined) throw new DicosError('missing-attribute', `no ${key} ${tag}`);
  if (!Number.isInteger(v) || v < 1) throw new DicosError('missing-attribute', `${key} ${tag} must be a whole number of at least 1, got ${v}`);
  return v;
}

/** Looks in the data set, then in the Shared Functional Groups Sequence (multi-frame CT keeps geometry there). */
function shared(ds: NaturalDataset, macro: string): NaturalDataset | undefined {
  return seq(seq(ds, 'SharedFunctionalGroupsSequence')[0] ?? {}, macro)[0];
}

const PIXEL_TAGS: Record<(typeof PIXEL_ELEMENTS)[number], number> = { PixelData: 0x7fe00010, FloatPixelData: 0x7fe00008, DoubleFloatPixelData: 0x7fe00009 };

function pixelSource(ds: NaturalDataset): PixelSource | undefined {
  for (const element of PIXEL_ELEMENTS) {
    const bytes = binary(ds, element);
    if (bytes === undefined) continue;
    return { element, bytes, last: lastTag(ds) <= PIXEL_TAGS[element] };
  }
  return undefined;
}

function readImage(base: DicosObjectBase, imageType: DicosImageType, ds: NaturalDataset): DicosImage {
  // Pixel data is the last element of an image: without it, the file was almost always cut short.
  const source = pixelSource(ds);
  if (!source) throw new DicosError('truncated', 'no pixel data: the image has no Pixel Data (7FE0,0010), Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009); the file probably ends before it');
  const rows = positiveInt(ds, 'Rows', '(0028,0010)');
  const columns = positiveInt(ds, 'Columns', '(0028,0011)');
  const frames = positiveInt(ds, 'NumberOfFrames', '(0028,0008)', 1);
  const samples = num(ds, 'SamplesPerPixel') ?? 1;
  if (samples !== 1) throw new DicosError('unsupported-pixel-format', `Samples per Pixel (0028,0002) is ${samples}: only greyscale (1) images are supported`);
  const photometric = str(ds, 'PhotometricInterpretation') ?? 'MONOCHROME2';
  if (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') {
    throw new DicosError('unsupported-pixel-format', `Photometric Interpretation (0028,0004) ${photometric}: only MONOCHROME1 and MONOCHROME2 are supported`);
  }
  const bitsAllocatedRaw = num(ds, 'BitsAllocated');
  let format: PixelFormat;
  if (source.element === 'PixelData') {
    const ba = bitsAllocatedRaw;
    if (ba === undefined) throw new DicosError('missing-attribute', 'no Bits Allocated (0028,0100)');
    if (ba !== 8 && ba !== 16 && ba !== 32 && ba !== 64) throw new DicosError('unsupported-pixel-format', `Bits Allocated (0028,0100) ${ba}: only 8, 16, 32 and 64 are supported`);
    const bitsStored = num(ds, 'BitsStored') ?? ba;
    if (!Number.isInteger(bitsStored) || bitsStored < 1 || bitsStored > ba) throw new DicosError('bad-pixel-data', `Bits Stored (0028,0101) ${bitsStored} does not fit Bits Allocated ${ba}`);
    const highBit = num(ds, 'HighBit') ?? bitsStored - 1;
    if (!Number.isInteger(highBit) || highBit < bitsStored - 1 || highBit >= ba) throw new DicosError('bad-pixel-data', `High Bit (0028,0102) ${highBit} does not fit Bits Stored ${bitsStored} and Bits Allocated ${ba}`);
    const pr = num(ds, 'PixelRepresentation') ?? 0;
    if (pr !== 0 && pr !== 1) throw new DicosError('bad-pixel-data', `Pixel Representation (0028,0103) must be 0 or 1, got ${pr}`);
    format = { kind: 'int', bitsAllocated: ba, bitsStored, highBit, signed: pr === 1 };
  } else {
    const ba = source.element === 'FloatPixelData' ? 32 : 64;
    if (bitsAllocatedRaw !== undefined && bitsAllocatedRaw !== ba) {
      throw new DicosError('bad-pixel-data', `${source.element} needs Bits Allocated ${ba}, the file says ${bitsAllocatedRaw}`);
    }
    format = { kind: 'float', bitsAllocated: ba };
  }
  const count = rows * columns * frames;
  const stored = storedPixels(source, format, count);
  const transform = shared(ds, 'PixelValueTransformationSequence') ?? {};
  const slope = num(ds, 'RescaleSlope') ?? num(transform, 'RescaleSlope') ?? 1;
  const intercept = num(ds, 'RescaleIntercept') ?? num(transform, 'RescaleIntercept') ?? 0;
  if (slope === 0) throw new DicosError('bad-pixel-data', 'Rescale Slope (0028,1053) is 0');
  const measures = shared(ds, 'PixelMeasuresSequence') ?? {};
  const spacing = nums(ds, 'PixelSpacing') ?? nums(measures, 'PixelSpacing');
  const sliceSpacing = num(ds, 'SpacingBetweenSlices') ?? num(measures, 'SpacingBetweenSlices') ?? num(ds, 'SliceThickness') ?? num(measures, 'SliceThickness');
  const [rowSpacing, columnSpacing] = spacing ?? [];
  const pixelSpacing: [number, number] | undefined = rowSpacing !== undefined && columnSpacing !== undefined && rowSpacing > 0 && columnSpacing > 0
    ? [rowSpacing, columnSpacing] : undefined;
  const rescaleType = str(ds, 'RescaleType') ?? str(transform, 'RescaleType');
  const presentationIntentType = str(ds, 'PresentationIntentType');
  const pixelsPerFrame = rows * columns;
  return {
    ...base,
    kind: 'image',
    imageType,
    rows,
    columns,
    frames,
    bitsAllocated: format.bitsAllocated,
    bitsStored: format.kind === 'int' ? format.bitsStored : format.bitsAllocated,
    pixelRepresentation: format.kind === 'int' && format.signed ? 1 : 0,
    floatPixels: format.kind === 'float',
    photometricInterpretation: photometric,
    rescaleSlope: slope,
    rescaleIntercept: intercept,
    ...(rescaleType === undefined ? {} : { rescaleType }),
    ...(pixelSpacing === undefined ? {} : { pixelSpacing }),
    ...(sliceSpacing !== undefined && sliceSpacing > 0 ? { sliceSpacing } : {}),
    ...(presentationIntentType === undefined ? {} : { presentationIntentType }),
    imageTypeValues: strs(ds, 'ImageType'),
    format,
    storedRange: storedRange(format),
    stored,
    frameValues(frame: number): Float64Array {
      if (!Number.isInteger(frame) || frame < 0 || frame >= frames) throw new RangeError(`frame ${frame} is outside 0…${frames - 1}`);
      return decodeRange(stored, format, slope, intercept, frame * pixelsPerFrame, new Float64Array(pixelsPerFrame));
    },
  };
}

/**
 * Reads a DICOS file: a DX image (for presentation or processing), a CT volume or a Threat
 * Detection Report. Bytes in, object out; no file system. Every failure is a DicosError with a
 * `reason`; nothing else is thrown.
 */
export function readDicos(input: Uint8Array | ArrayBuffer): DicosObject {
  try {
    return readUnchecked(input);
  } catch (error) {
    if (error instanceof DicosError) throw error;
    // A bug or a dcmjs surprise on hostile input: still a typed error, never a crash.
    const message = error instanceof Error ? error.message : String(error);
    throw new DicosError('not-dicom', `unreadable DICOS data (${message})`, { cause: error });
  }
}

function readUnchecked(input: Uint8Array | ArrayBuffer): DicosObject {
  const file = parseFile(input);
  const ds = file.dataset;
  const sopClassUid = requireUid(ds, file.meta, 'SOPClassUID', 'MediaStorageSOPClassUID', 'SOP Class UID (0008,0016)');
  const sopInstanceUid = requireUid(ds, file.meta, 'SOPInstanceUID', 'MediaStorageSOPInstanceUID', 'SOP Instance UID (0008,0018)');
  const studyInstanceUid = optionalUid(ds, 'StudyInstanceUID');
  const seriesInstanceUid = optionalUid(ds, 'SeriesInstanceUID');
  const modality = str(ds, 'Modality');
  const accessionNumber = str(ds, 'AccessionNumber');
  const at = acquiredAt(ds);
  const base: DicosObjectBase = {
    sopClassUid,
    sopClass: sopClassName(sopClassUid),
    sopInstanceUid,
    ...(studyInstanceUid === undefined ? {} : { studyInstanceUid }),
    ...(seriesInstanceUid === undefined ? {} : { seriesInstanceUid }),
    ...(modality === undefined ? {} : { modality: modality.slice(0, 16) }),
    transferSyntaxUid: file.transferSyntaxUid,
    transferSyntax: transferSyntaxName(file.transferSyntaxUid),
    ...(accessionNumber === undefined ? {} : { accessionNumber }),
    ...(at === undefined ? {} : { acquiredAt: at }),
    dataset: ds,
  };
  switch (sopClassUid) {
    case SOP_CLASS.dxForPresentation:
    case SOP_CLASS.dxForProcessing:
      return readImage(base, 'dx', ds);
    case SOP_CLASS.ct:
      return readImage(base, 'ct', ds);
    case SOP_CLASS.tdr:
      return readTdr(base, ds);
    default: {
      const dicos = sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.501.');
      throw new DicosError('unsupported-sop-class', dicos
        ? `${sopClassName(sopClassUid)} (${sopClassUid}) is not supported; DX images, CT volumes and TDRs are`
        : `SOP class ${sopClassUid} is not a DICOS object this reader supports (DX ${SOP_CLASS.dxForPresentation}/${SOP_CLASS.dxForProcessing}, CT ${SOP_CLASS.ct}, TDR ${SOP_CLASS.tdr})`);
    }
  }
}
