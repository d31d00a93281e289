/**
 * Why a DICOS file could not be read. Stable codes: the hot folder writes them into
 * `<file>.reason.json` and the CLI prints them.
 */
export type DicosErrorReason =
  /** The file ends early: cut inside the preamble, the header, an element, or before its pixel data. */
  | 'truncated'
  /** No `DICM` marker after the 128-byte preamble, or bytes that do not parse as a data set. */
  | 'not-dicom'
  /** A transfer syntax other than Explicit or Implicit VR Little Endian (deflated, big endian, compressed). */
  | 'unsupported-transfer-syntax'
  /** A SOP class this reader does not convert (AIT, QR, a medical DICOM object…). */
  | 'unsupported-sop-class'
  /** A required attribute (SOP Class UID, Rows, a TDR's referenced image…) is absent or malformed. */
  | 'missing-attribute'
  /** Pixel data of the wrong length for Rows × Columns × frames × bits, or unreadable values. */
  | 'bad-pixel-data'
  /** A pixel layout not supported: colour, 1 or 12 bits allocated, an image too large for a scan view. */
  | 'unsupported-pixel-format';

export const DICOS_ERROR_REASONS: readonly DicosErrorReason[] = [
  'truncated', 'not-dicom', 'unsupported-transfer-syntax', 'unsupported-sop-class', 'missing-attribute', 'bad-pixel-data', 'unsupported-pixel-format',
];

/** Every failure to read or convert a DICOS object. Never anything else escapes readDicos. */
export class DicosError extends Error {
  override readonly name = 'DicosError';
  readonly reason: DicosErrorReason;
  constructor(reason: DicosErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export function isDicosError(error: unknown): error is DicosError {
  return error instanceof DicosError;
}
