/** SOP classes of DICOS (NEMA IIC 1 v04), all under 1.2.840.10008.5.1.4.1.1.501. */
export const SOP_CLASS = {
  ct: '1.2.840.10008.5.1.4.1.1.501.1',
  dxForPresentation: '1.2.840.10008.5.1.4.1.1.501.2.1',
  dxForProcessing: '1.2.840.10008.5.1.4.1.1.501.2.2',
  tdr: '1.2.840.10008.5.1.4.1.1.501.3',
  ait2d: '1.2.840.10008.5.1.4.1.1.501.4',
  ait3d: '1.2.840.10008.5.1.4.1.1.501.5',
  qr: '1.2.840.10008.5.1.4.1.1.501.6',
} as const;

const SOP_CLASS_NAMES: Record<string, string> = {
  [SOP_CLASS.ct]: 'DICOS CT Image',
  [SOP_CLASS.dxForPresentation]: 'DICOS Digital X-Ray Image - For Presentation',
  [SOP_CLASS.dxForProcessing]: 'DICOS Digital X-Ray Image - For Processing',
  [SOP_CLASS.tdr]: 'DICOS Threat Detection Report',
  [SOP_CLASS.ait2d]: 'DICOS 2D AIT',
  [SOP_CLASS.ait3d]: 'DICOS 3D AIT',
  [SOP_CLASS.qr]: 'DICOS Quadrupole Resonance (QR)',
};

export function sopClassName(uid: string): string {
  return SOP_CLASS_NAMES[uid] ?? 'unknown (not a DICOS SOP class)';
}

export const TRANSFER_SYNTAX = {
  implicitLittleEndian: '1.2.840.10008.1.2',
  explicitLittleEndian: '1.2.840.10008.1.2.1',
  deflatedExplicitLittleEndian: '1.2.840.10008.1.2.1.99',
  explicitBigEndian: '1.2.840.10008.1.2.2',
} as const;

/** Transfer syntaxes readDicos accepts: both uncompressed little-endian ones. */
export const SUPPORTED_TRANSFER_SYNTAXES: readonly string[] = [TRANSFER_SYNTAX.explicitLittleEndian, TRANSFER_SYNTAX.implicitLittleEndian];

const TRANSFER_SYNTAX_NAMES: Record<string, string> = {
  [TRANSFER_SYNTAX.implicitLittleEndian]: 'Implicit VR Little Endian',
  [TRANSFER_SYNTAX.explicitLittleEndian]: 'Explicit VR Little Endian',
  [TRANSFER_SYNTAX.deflatedExplicitLittleEndian]: 'Deflated Explicit VR Little Endian',
  [TRANSFER_SYNTAX.explicitBigEndian]: 'Explicit VR Big Endian (retired)',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline (Process 1)',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless, Non-Hierarchical (Process 14)',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless, First-Order Prediction',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 (Lossless Only)',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
};

export function transferSyntaxName(uid: string): string {
  return TRANSFER_SYNTAX_NAMES[uid] ?? 'unknown transfer syntax';
}

/** A UID as DICOM allows it: digits and dots, 1–64 characters, no empty or zero-led components. */
export function isValidUid(uid: string): boolean {
  return uid.length > 0 && uid.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(uid);
}

/**
 * The UID of a UUID under the `2.25` root (ISO/IEC 9834-8, DICOM PS3.5 B.2): `2.25.` followed by
 * the UUID's 128 bits as a decimal integer. The same UUID always gives the same UID.
 */
export function uidFromUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${JSON.stringify(uuid)}`);
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

/** A fresh UID under the 2.25 root. */
export function newUid(): string {
  return uidFromUuid(crypto.randomUUID());
}
