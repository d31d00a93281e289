import { readDicos } from './read.ts';

export interface InspectPto {
  id: number;
  category?: string;
  label?: string;
  box?: { x: number; y: number; z: number; width: number; height: number; depth: number };
}

/** A summary of a DICOS file, as `pnpm clearway dicos inspect FILE` prints it. */
export interface DicosInspection {
  sopClassUid: string;
  sopClass: string;
  sopInstanceUid: string;
  modality: string | null;
  transferSyntaxUid: string;
  transferSyntax: string;
  rows: number | null;
  columns: number | null;
  frames: number | null;
  bitsAllocated: number | null;
  pixelRepresentation: number | null;
  floatPixels?: boolean;
  photometricInterpretation?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  accessionNumber?: string;
  acquiredAt?: string;
  tdrType?: string | null;
  alarmDecision?: string | null;
  algorithm?: string;
  abortFlag?: string;
  abortReasons?: string[];
  operator?: { id?: string; name?: string };
  referencedSopInstanceUid?: string | null;
  ptos?: InspectPto[];
}

/** Reads a DICOS file and summarises it (throws DicosError like readDicos). */
export function inspect(bytes: Uint8Array | ArrayBuffer): DicosInspection {
  const obj = readDicos(bytes);
  const common = {
    sopClassUid: obj.sopClassUid,
    sopClass: obj.sopClass,
    sopInstanceUid: obj.sopInstanceUid,
    modality: obj.modality ?? null,
    transferSyntaxUid: obj.transferSyntaxUid,
    transferSyntax: obj.transferSyntax,
    ...(obj.studyInstanceUid ? { studyInstanceUid: obj.studyInstanceUid } : {}),
    ...(obj.seriesInstanceUid ? { seriesInstanceUid: obj.seriesInstanceUid } : {}),
    ...(obj.accessionNumber ? { accessionNumber: obj.accessionNumber } : {}),
    ...(obj.acquiredAt ? { acquiredAt: obj.acquiredAt } : {}),
  };
  if (obj.kind === 'image') {
    return {
      ...common,
      rows: obj.rows,
      columns: obj.columns,
      frames: obj.frames,
      bitsAllocated: obj.bitsAllocated,
      pixelRepresentation: obj.pixelRepresentation,
      floatPixels: obj.floatPixels,
      photometricInterpretation: obj.photometricInterpretation,
    };
  }
  return {
    ...common,
    rows: null,
    columns: null,
    frames: null,
    bitsAllocated: null,
    pixelRepresentation: null,
    tdrType: obj.tdrType ?? null,
    alarmDecision: obj.alarmDecision ?? null,
    ...(obj.algorithm ? { algorithm: obj.algorithm } : {}),
    ...(obj.abortFlag ? { abortFlag: obj.abortFlag } : {}),
    ...(obj.abortReasons.length > 0 ? { abortReasons: obj.abortReasons } : {}),
    ...(obj.operator ? { operator: obj.operator } : {}),
    referencedSopInstanceUid: obj.referencedImage?.sopInstanceUid ?? null,
    ptos: obj.ptos.map((p) => ({
      id: p.id,
      ...(p.category ? { category: p.category } : {}),
      ...(p.label ? { label: p.label } : {}),
      ...(p.box ? { box: p.box } : {}),
    })),
  };
}
