// dcmjs ships no types; this file is the only one that imports it, and brings its declarations along.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dcmjs.d.ts" />
/**
 * The thin layer over dcmjs: bytes → naturalized data set (keyword → value) and back. Parsing and
 * encoding are dcmjs's; this file only checks the preamble, picks the transfer syntax, and turns
 * dcmjs's exceptions into DicosError reasons.
 */
import dcmjs, { type NaturalDataset } from 'dcmjs';
import { DicosError } from './errors.ts';
import { SUPPORTED_TRANSFER_SYNTAXES, TRANSFER_SYNTAX, transferSyntaxName, uidFromUuid } from './uids.ts';

const { DicomDict, DicomMessage, DicomMetaDictionary } = dcmjs.data;

// dcmjs logs through loglevel to the console (an implicit-VR Pixel Data element is reported as
// "Invalid vr type ox - using OW"). This package reports through exceptions, so quiet it.
dcmjs.log.setLevel('silent');
dcmjs.log.getLogger('validation.dcmjs').setLevel('silent');

export type { NaturalDataset };

/** Clearway's implementation class UID (file meta (0002,0012)): a fixed UUID under 2.25. */
export const IMPLEMENTATION_CLASS_UID = uidFromUuid('6c1e0a52-3f0e-4b8e-9a55-0c1ea7a90001');
export const IMPLEMENTATION_VERSION_NAME = 'CLEARWAY_0_1';

const PREAMBLE = 128;
const MAGIC = 'DICM';

export interface ParsedFile {
  transferSyntaxUid: string;
  meta: NaturalDataset;
  dataset: NaturalDataset;
  /** The bytes read, for telling whether a value runs to the end of the file. */
  buffer: ArrayBuffer;
  byteLength: number;
}

function toArrayBuffer(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  // A copy of just these bytes (a Node Buffer's slice() would share its pool instead).
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/** dcmjs throws plain Errors and RangeErrors; those that mean "ran out of bytes" become 'truncated'. */
function classify(error: unknown, what: string): DicosError {
  if (error instanceof DicosError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError || /past end of input|outside the bounds|more than currently allocated|out of range|beyond the end/i.test(message)) {
    return new DicosError('truncated', `${what}: the file ends inside an element (${message})`, { cause: error });
  }
  if (/character set/i.test(message)) return new DicosError('not-dicom', `${what}: ${message}`, { cause: error });
  return new DicosError('not-dicom', `${what}: not a readable DICOM data set (${message})`, { cause: error });
}

function firstString(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v.replace(/[\0 ]+$/, '') : undefined;
}

/** Reads the file meta group (always Explicit VR Little Endian) and returns it with where the data set starts. */
function readMeta(buffer: ArrayBuffer, bytes: Uint8Array): { meta: NaturalDataset; lenient: boolean } {
  const view = new DataView(buffer);
  // (0002,0000) UL, 4 bytes: the group length says where the meta group ends.
  const hasGroupLength = bytes.byteLength >= 144 && view.getUint16(132, true) === 0x0002 && view.getUint16(134, true) === 0x0000
    && bytes[136] === 0x55 && bytes[137] === 0x4c && view.getUint16(138, true) === 4;
  if (hasGroupLength) {
    const end = 144 + view.getUint32(140, true);
    if (end > bytes.byteLength) throw new DicosError('truncated', `the file ends inside its file meta information (needs ${end} bytes, has ${bytes.byteLength})`);
    try {
      const dict = DicomMessage.readFile(buffer.slice(0, end));
      return { meta: DicomMetaDictionary.naturalizeDataset(dict.meta), lenient: false };
    } catch (error) {
      // dcmjs inflates a deflated data set straight after the meta group, and an empty one fails
      // to inflate: give it an empty raw-deflate block (03 00) so the meta group alone is read.
      try {
        const withEmptyDeflate = new Uint8Array(end + 2);
        withEmptyDeflate.set(bytes.subarray(0, end));
        withEmptyDeflate.set([0x03, 0x00], end);
        const dict = DicomMessage.readFile(withEmptyDeflate.buffer);
        const meta = DicomMetaDictionary.naturalizeDataset(dict.meta);
        if (firstString(meta['TransferSyntaxUID']) === TRANSFER_SYNTAX.deflatedExplicitLittleEndian) return { meta, lenient: false };
      } catch {
        // not that case; report the first failure
      }
      throw classify(error, 'file meta information');
    }
  }
  if (bytes.byteLength < 144) throw new DicosError('truncated', `the file ends inside its file meta information (${bytes.byteLength} bytes)`);
  // No group length: dcmjs then reads the meta group element by element, leniently.
  try {
    const dict = DicomMessage.readFile(buffer, { ignoreErrors: true, untilTag: '00080000', noCopy: true });
    return { meta: DicomMetaDictionary.naturalizeDataset(dict.meta), lenient: true };
  } catch (error) {
    throw classify(error, 'file meta information');
  }
}

/**
 * Parses a DICOM Part 10 file with dcmjs. Throws DicosError: 'truncated', 'not-dicom',
 * 'unsupported-transfer-syntax', 'missing-attribute'.
 */
export function parseFile(input: Uint8Array | ArrayBuffer): ParsedFile {
  const buffer = toArrayBuffer(input);
  const bytes = new Uint8Array(buffer);
  if (bytes.byteLength < PREAMBLE + MAGIC.length) {
    // A file cut inside its preamble or marker: zeros (the usual preamble), then a prefix of "DICM".
    const preamble = bytes.subarray(0, PREAMBLE);
    const marker = String.fromCharCode(...bytes.subarray(PREAMBLE));
    if (preamble.every((b) => b === 0) && MAGIC.startsWith(marker)) {
      throw new DicosError('truncated', `the file ends inside its 128-byte preamble or DICM marker (${bytes.byteLength} bytes)`);
    }
    throw new DicosError('not-dicom', `too short for a DICOM file (${bytes.byteLength} bytes) and not a cut-off preamble`);
  }
  if (String.fromCharCode(...bytes.subarray(PREAMBLE, PREAMBLE + 4)) !== MAGIC) {
    throw new DicosError('not-dicom', 'no "DICM" marker after the 128-byte preamble: not a DICOM Part 10 file');
  }
  const { meta, lenient } = readMeta(buffer, bytes);
  const transferSyntaxUid = firstString(meta['TransferSyntaxUID']);
  if (!transferSyntaxUid) throw new DicosError('missing-attribute', 'the file meta information has no Transfer Syntax UID (0002,0010)');
  if (!SUPPORTED_TRANSFER_SYNTAXES.includes(transferSyntaxUid)) {
    const hint = transferSyntaxUid === TRANSFER_SYNTAX.deflatedExplicitLittleEndian || transferSyntaxUid === TRANSFER_SYNTAX.explicitBigEndian
      ? '' : ' (compressed pixel data is not decoded)';
    throw new DicosError('unsupported-transfer-syntax',
      `transfer syntax ${transferSyntaxUid} (${transferSyntaxName(transferSyntaxUid)}) is not supported${hint}; use Explicit VR Little Endian (${TRANSFER_SYNTAX.explicitLittleEndian}) or Implicit VR Little Endian (${TRANSFER_SYNTAX.implicitLittleEndian})`);
  }
  const read = (ignoreErrors: boolean): NaturalDataset => {
    const dict = DicomMessage.readFile(buffer, { ignoreErrors, untilTag: null, includeUntilTagValue: false, noCopy: true, forceStoreRaw: false });
    return DicomMetaDictionary.naturalizeDataset(dict.dict);
  };
  let dataset: NaturalDataset;
  try {
    dataset = read(lenient);
  } catch (error) {
    // dcmjs refuses a Specific Character Set it does not know (or one cut short). Read on with its
    // default decoding instead: what this package reads is ASCII (UIDs, code strings, numbers),
    // and a cut file is still caught by the checks that follow (no pixel data, no Alarm Decision).
    if (lenient || !(error instanceof Error) || !/character set/i.test(error.message)) throw classify(error, 'data set');
    try {
      dataset = read(true);
    } catch (again) {
      throw classify(again, 'data set');
    }
  }
  return { transferSyntaxUid, meta, dataset, buffer, byteLength: bytes.byteLength };
}

export interface WriteOptions {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid?: string;
}

/** Drops undefined values (dcmjs would write them as empty elements) at every level. */
function clean(dataset: NaturalDataset): NaturalDataset {
  const out: NaturalDataset = {};
  for (const [key, value] of Object.entries(dataset)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer) && !Array.isArray(v))
      ? value.map((item: NaturalDataset) => clean(item))
      : value;
  }
  return out;
}

/** Encodes a naturalized data set as a DICOM Part 10 file (preamble, DICM, file meta, data set). */
export function writeFile(dataset: NaturalDataset, options: WriteOptions): Uint8Array {
  const transferSyntaxUid = options.transferSyntaxUid ?? TRANSFER_SYNTAX.explicitLittleEndian;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: options.sopClassUid,
    MediaStorageSOPInstanceUID: options.sopInstanceUid,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(clean({ ...dataset, SOPClassUID: options.sopClassUid, SOPInstanceUID: options.sopInstanceUid }));
  return new Uint8Array(dict.write());
}

/** The dictionary entry of a keyword, from dcmjs's data dictionary. */
export function dictionaryEntry(keyword: string): { tag: string; vr: string; vm: string } | undefined {
  const entry = DicomMetaDictionary.nameMap[keyword];
  return entry ? { tag: entry.tag, vr: entry.vr, vm: entry.vm } : undefined;
}

/** The largest top-level tag of a naturalized data set, as a number (0xGGGGEEEE); -1 when empty. */
export function lastTag(ds: NaturalDataset): number {
  let last = -1;
  for (const key of Object.keys(ds)) {
    const tag = /^[0-9A-Fa-f]{8}$/.test(key) ? key : DicomMetaDictionary.nameMap[key]?.tag.replace(/[(),]/g, '');
    if (tag === undefined || !/^[0-9A-Fa-f]{8}$/.test(tag)) continue;
    last = Math.max(last, parseInt(tag, 16));
  }
  return last;
}
