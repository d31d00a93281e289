/**
 * Threat Detection Reports (SOP class 1.2.840.10008.5.1.4.1.1.501.3): reading any TDR, writing
 * OPERATOR and MACHINE TDRs. Every keyword below is looked up in dcmjs's data dictionary, which
 * carries the DICOS (4010,xxxx) group; `TDR_TAGS` lists the tags this file relies on.
 *
 * Layout written and read (NEMA IIC 1 v04 TDR IOD):
 *   TDR Type, Alarm Decision, Alarm Decision Time, Abort Flag / Abort Reason,
 *   Threat Detection Algorithm and Version, Total Processing Time,
 *   Number of Total / Alarm Objects, Operator Identification Sequence, Operators' Name,
 *   Referenced Series Sequence → Referenced Instance Sequence (the image the report is about),
 *   Threat Sequence, one item per PTO:
 *     Potential Threat Object ID,
 *     ATD Assessment Sequence → Threat Category, Threat Category Description,
 *                               ATD Ability Assessment, ATD Assessment Flag, ATD Assessment Probability
 *     PTO Representation Sequence → Referenced Instance Sequence, Threat ROI Base / Extents,
 *                                   Bounding Polygon
 */
import type { NaturalDataset } from './dcm.ts';
import { lastTag, writeFile } from './dcm.ts';
import { DicosError } from './errors.ts';
import type { DicosObjectBase, DicosPto, DicosReference, DicosTdr } from './types.ts';
import { SOP_CLASS, isValidUid, newUid } from './uids.ts';
import { dicomDateTimeToIso, num, nums, seq, str, strs, toDicomDate, toDicomDateTime, toDicomTime } from './values.ts';

/** The DICOS/DICOM tags this module reads and writes, as checked against dcmjs's dictionary (see tdr.test.ts). */
export const TDR_TAGS = {
  TDRType: '(4010,1027)',
  AlarmDecision: '(4010,1031)',
  AlarmDecisionTime: '(4010,102B)',
  AbortFlag: '(4010,1024)',
  AbortReason: '(4010,1021)',
  ThreatDetectionAlgorithmandVersion: '(4010,1029)',
  TotalProcessingTime: '(4010,1069)',
  NumberOfTotalObjects: '(4010,1033)',
  NumberOfAlarmObjects: '(4010,1034)',
  ThreatSequence: '(4010,1011)',
  PotentialThreatObjectID: '(4010,1010)',
  ATDAssessmentSequence: '(4010,1038)',
  ThreatCategory: '(4010,1012)',
  ThreatCategoryDescription: '(4010,1013)',
  ATDAbilityAssessment: '(4010,1014)',
  ATDAssessmentFlag: '(4010,1015)',
  ATDAssessmentProbability: '(4010,1016)',
  PTORepresentationSequence: '(4010,1037)',
  ThreatROIBase: '(4010,1004)',
  ThreatROIExtents: '(4010,1005)',
  BoundingPolygon: '(4010,101D)',
  Mass: '(4010,1017)',
  Density: '(4010,1018)',
  ZEffective: '(4010,1019)',
  OperatorIdentificationSequence: '(0008,1072)',
  OperatorsName: '(0008,1070)',
  PersonIdentificationCodeSequence: '(0040,1101)',
  ReferencedSeriesSequence: '(0008,1115)',
  ReferencedInstanceSequence: '(0008,114A)',
  ReferencedSOPClassUID: '(0008,1150)',
  ReferencedSOPInstanceUID: '(0008,1155)',
} as const;

// ---- reading ------------------------------------------------------------------------------

function referencesIn(items: NaturalDataset[]): DicosReference[] {
  const out: DicosReference[] = [];
  for (const item of items) {
    const uid = str(item, 'ReferencedSOPInstanceUID');
    if (!uid || !isValidUid(uid)) continue;
    const cls = str(item, 'ReferencedSOPClassUID');
    out.push({ sopInstanceUid: uid, ...(cls && isValidUid(cls) ? { sopClassUid: cls } : {}) });
  }
  return out;
}

function triple(ds: NaturalDataset, key: string): [number, number, number] | undefined {
  const v = nums(ds, key);
  if (!v || v.length < 2) return undefined;
  return [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0];
}

function readPto(item: NaturalDataset, index: number, processing: number[]): DicosPto {
  const assessment = seq(item, 'ATDAssessmentSequence')[0] ?? {};
  // Some writers put the assessment attributes straight into the threat item.
  const pick = (key: string): string | undefined => str(assessment, key) ?? str(item, key);
  const category = pick('ThreatCategory');
  const categoryDescription = pick('ThreatCategoryDescription');
  const assessmentFlag = pick('ATDAssessmentFlag');
  const abilityAssessment = pick('ATDAbilityAssessment');
  const probability = num(assessment, 'ATDAssessmentProbability') ?? num(item, 'ATDAssessmentProbability');
  const representation = seq(item, 'PTORepresentationSequence')[0] ?? item;
  const ref = referencesIn(seq(representation, 'ReferencedInstanceSequence'))[0];
  const base = triple(representation, 'ThreatROIBase');
  const extents = triple(representation, 'ThreatROIExtents');
  const polygonValues = nums(representation, 'BoundingPolygon');
  const polygon: [number, number, number][] | undefined = polygonValues && polygonValues.length >= 6
    ? Array.from({ length: Math.floor(polygonValues.length / 3) }, (_, i) => [polygonValues[3 * i] ?? 0, polygonValues[3 * i + 1] ?? 0, polygonValues[3 * i + 2] ?? 0])
    : undefined;
  let box: DicosPto['box'];
  if (base && extents) {
    box = { x: base[0], y: base[1], z: base[2], width: extents[0], height: extents[1], depth: extents[2] };
  } else if (polygon) {
    const xs = polygon.map((p) => p[0]);
    const ys = polygon.map((p) => p[1]);
    const zs = polygon.map((p) => p[2]);
    const [x, y, z] = [Math.min(...xs), Math.min(...ys), Math.min(...zs)];
    box = { x, y, z, width: Math.max(...xs) - x, height: Math.max(...ys) - y, depth: Math.max(...zs) - z };
  }
  const time = num(item, 'TotalProcessingTime');
  if (time !== undefined) processing.push(time);
  const mass = num(representation, 'Mass') ?? num(item, 'Mass');
  const density = num(representation, 'Density') ?? num(item, 'Density');
  const zEffective = num(representation, 'ZEffective') ?? num(item, 'ZEffective');
  const label = categoryDescription ?? category;
  return {
    id: num(item, 'PotentialThreatObjectID') ?? index,
    ...(category === undefined ? {} : { category }),
    ...(categoryDescription === undefined ? {} : { categoryDescription }),
    ...(label === undefined ? {} : { label }),
    ...(assessmentFlag === undefined ? {} : { assessmentFlag }),
    ...(abilityAssessment === undefined ? {} : { abilityAssessment }),
    ...(probability === undefined ? {} : { probability }),
    ...(ref === undefined ? {} : { referencedSopInstanceUid: ref.sopInstanceUid, ...(ref.sopClassUid ? { referencedSopClassUid: ref.sopClassUid } : {}) }),
    ...(base && extents ? { roi: { base, extents } } : {}),
    ...(polygon === undefined ? {} : { polygon }),
    ...(box === undefined ? {} : { box }),
    ...(mass === undefined ? {} : { mass }),
    ...(density === undefined ? {} : { density }),
    ...(zEffective === undefined ? {} : { zEffective }),
  };
}

const ALARM_DECISION_TAG = 0x40101031;

/** Lifts the TDR attributes out of a naturalized data set (called by readDicos). */
export function readTdr(base: DicosObjectBase, ds: NaturalDataset): DicosTdr {
  // Elements are stored in tag order; a TDR without Alarm Decision (type 1) and nothing after it was cut short.
  if (str(ds, 'AlarmDecision') === undefined && lastTag(ds) < ALARM_DECISION_TAG) {
    throw new DicosError('truncated', 'the TDR ends before its Alarm Decision (4010,1031): the file was probably cut short');
  }
  const processing: number[] = [];
  const ptos = seq(ds, 'ThreatSequence').map((item, i) => readPto(item, i, processing));
  const references: DicosReference[] = [];
  const add = (refs: DicosReference[]) => {
    for (const r of refs) if (!references.some((x) => x.sopInstanceUid === r.sopInstanceUid)) references.push(r);
  };
  for (const item of seq(ds, 'ThreatSequence')) {
    for (const rep of seq(item, 'PTORepresentationSequence')) add(referencesIn(seq(rep, 'ReferencedInstanceSequence')));
  }
  for (const series of seq(ds, 'ReferencedSeriesSequence')) add(referencesIn(seq(series, 'ReferencedInstanceSequence')));
  add(referencesIn(seq(ds, 'ReferencedInstanceSequence')));
  add(referencesIn(seq(ds, 'ReferencedImageSequence')));
  const referencedImage = references.find((r) => r.sopClassUid !== SOP_CLASS.tdr && r.sopInstanceUid !== base.sopInstanceUid);

  const operatorItem = seq(ds, 'OperatorIdentificationSequence')[0];
  const code = operatorItem ? seq(operatorItem, 'PersonIdentificationCodeSequence')[0] : undefined;
  const operatorId = code ? str(code, 'CodeValue') ?? str(code, 'LongCodeValue') : undefined;
  const operatorName = str(ds, 'OperatorsName') ?? (code ? str(code, 'CodeMeaning') : undefined);
  const algorithmParts = strs(ds, 'ThreatDetectionAlgorithmandVersion');
  const total = num(ds, 'TotalProcessingTime') ?? (processing.length > 0 ? Math.max(...processing) : undefined);
  const tdrType = str(ds, 'TDRType');
  const alarmDecision = str(ds, 'AlarmDecision');
  const alarmDecisionAt = dicomDateTimeToIso(str(ds, 'AlarmDecisionTime'), str(ds, 'TimezoneOffsetFromUTC'));
  const abortFlag = str(ds, 'AbortFlag');
  const totalObjects = num(ds, 'NumberOfTotalObjects');
  const alarmObjects = num(ds, 'NumberOfAlarmObjects');
  return {
    ...base,
    kind: 'tdr',
    ...(tdrType === undefined ? {} : { tdrType }),
    ...(alarmDecision === undefined ? {} : { alarmDecision }),
    ...(alarmDecisionAt === undefined ? {} : { alarmDecisionAt }),
    ...(abortFlag === undefined ? {} : { abortFlag }),
    abortReasons: strs(ds, 'AbortReason'),
    ...(algorithmParts.length > 0 ? { algorithm: algorithmParts.join(' ') } : {}),
    ...(total === undefined ? {} : { processingTimeMs: total }),
    ...(totalObjects === undefined ? {} : { totalObjects }),
    ...(alarmObjects === undefined ? {} : { alarmObjects }),
    ...(operatorId !== undefined || operatorName !== undefined
      ? { operator: { ...(operatorId === undefined ? {} : { id: operatorId }), ...(operatorName === undefined ? {} : { name: operatorName }) } }
      : {}),
    ptos,
    ...(referencedImage === undefined ? {} : { referencedImage }),
    references,
  };
}

// ---- writing ------------------------------------------------------------------------------

export type AssessmentFlag = 'HIGH_THREAT' | 'THREAT' | 'NO_THREAT' | 'UNKNOWN';

/** A PTO to write, with its box in the referenced image's pixel coordinates (z: frame or slice). */
export interface TdrPtoInput {
  /** Potential Threat Object ID (US, 0–65535). Default: its position, from 1. */
  id?: number;
  /** Threat Category (EXPLOSIVE, PROHIBITED_ITEM, …). Default OTHER. */
  category?: string;
  /** Written as Threat Category Description, e.g. "knife". */
  label?: string;
  assessmentFlag?: AssessmentFlag;
  probability?: number;
  /** Written as Threat ROI Base/Extents (x, y, z) and as a Bounding Polygon (the box's corners on plane z). */
  box: { x: number; y: number; width: number; height: number; z?: number; depth?: number };
}

interface TdrCommonInput {
  /** The image the report is about. */
  imageSopInstanceUid: string;
  imageSopClassUid: string;
  /** The image's study (the TDR joins it) and series (for the Referenced Series Sequence). */
  studyInstanceUid?: string;
  imageSeriesInstanceUid?: string;
  /** The TDR's own UIDs. Default: fresh 2.25 UIDs. */
  sopInstanceUid?: string;
  seriesInstanceUid?: string;
  ptos?: TdrPtoInput[];
  /** Instance creation time. Default now. */
  createdAt?: Date;
}

export interface OperatorDecision {
  verdict: 'clear' | 'search';
  officer: { id: string; name: string };
  /** ISO 8601: when the officer pressed the key (→ Alarm Decision Time). */
  decidedAt: string;
  /** ISO 8601: when the image was first shown (→ Total Processing Time = decidedAt − shownAt). */
  shownAt: string;
}

export interface OperatorTdrInput extends TdrCommonInput {
  decision: OperatorDecision;
}

export interface MachineTdrInput extends TdrCommonInput {
  /** Threat Detection Algorithm and Version, e.g. "VendorX ATR 4.2". */
  algorithm: string;
  alarm: boolean;
  alarmDecisionTime?: Date;
  processingMs?: number;
  /** Abort Reason values (OversizeBag, ClippedBag, …); any makes Abort Flag ABORT. */
  abortReasons?: string[];
}

function requireValidUid(uid: string, what: string): string {
  if (!isValidUid(uid)) throw new RangeError(`${what}: not a valid UID: ${JSON.stringify(uid)}`);
  return uid;
}

function ptoItem(pto: TdrPtoInput, index: number, reference: NaturalDataset): NaturalDataset {
  const id = pto.id ?? index + 1;
  if (!Number.isInteger(id) || id < 0 || id > 65535) throw new RangeError(`PTO ID must be a whole number 0–65535 (US), got ${id}`);
  const { x, y, width, height } = pto.box;
  const z = pto.box.z ?? 0;
  const depth = pto.box.depth ?? 1;
  if (![x, y, z, width, height, depth].every(Number.isFinite)) throw new RangeError(`PTO ${id}: box values must be finite numbers`);
  const flag = pto.assessmentFlag ?? 'THREAT';
  return {
    PotentialThreatObjectID: id,
    ATDAssessmentSequence: [{
      ThreatCategory: pto.category ?? 'OTHER',
      ThreatCategoryDescription: pto.label,
      ATDAbilityAssessment: 'NO_INTERFERENCE',
      ATDAssessmentFlag: flag,
      ATDAssessmentProbability: pto.probability,
    }],
    PTORepresentationSequence: [{
      ReferencedInstanceSequence: [reference],
      ThreatROIBase: [x, y, z],
      ThreatROIExtents: [width, height, depth],
      BoundingPolygon: [x, y, z, x + width, y, z, x + width, y + height, z, x, y + height, z],
    }],
  };
}

function commonDataset(input: TdrCommonInput, now: Date): { ds: NaturalDataset; sopInstanceUid: string } {
  const imageUid = requireValidUid(input.imageSopInstanceUid, 'imageSopInstanceUid');
  const imageClass = requireValidUid(input.imageSopClassUid, 'imageSopClassUid');
  const sopInstanceUid = input.sopInstanceUid === undefined ? newUid() : requireValidUid(input.sopInstanceUid, 'sopInstanceUid');
  const reference = { ReferencedSOPClassUID: imageClass, ReferencedSOPInstanceUID: imageUid };
  const ptos = input.ptos ?? [];
  const ds: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    InstanceCreationDate: toDicomDate(now),
    InstanceCreationTime: toDicomTime(now),
    ContentDate: toDicomDate(now),
    ContentTime: toDicomTime(now),
    TimezoneOffsetFromUTC: '+0000',
    Modality: 'TDR',
    StudyInstanceUID: input.studyInstanceUid === undefined ? newUid() : requireValidUid(input.studyInstanceUid, 'studyInstanceUid'),
    SeriesInstanceUID: input.seriesInstanceUid === undefined ? newUid() : requireValidUid(input.seriesInstanceUid, 'seriesInstanceUid'),
    SeriesNumber: 1,
    InstanceNumber: 1,
    ReferencedSeriesSequence: [{
      SeriesInstanceUID: input.imageSeriesInstanceUid === undefined ? undefined : requireValidUid(input.imageSeriesInstanceUid, 'imageSeriesInstanceUid'),
      ReferencedInstanceSequence: [reference],
    }],
    NumberOfTotalObjects: ptos.length,
    NumberOfAlarmObjects: ptos.filter((p) => (p.assessmentFlag ?? 'THREAT') === 'THREAT' || p.assessmentFlag === 'HIGH_THREAT').length,
    ...(ptos.length > 0 ? { ThreatSequence: ptos.map((p, i) => ptoItem(p, i, reference)) } : {}),
  };
  return { ds, sopInstanceUid };
}

function parseTime(iso: string, what: string): Date {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new RangeError(`${what}: not a date-time: ${JSON.stringify(iso)}`);
  return new Date(t);
}

/** Truncates to what a DICOS string attribute holds (LO/PN components: 64 characters). */
function fit(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max);
}

/**
 * An OPERATOR TDR for an officer's decision: Alarm Decision ALARM for search, CLEAR for clear;
 * Alarm Decision Time = decidedAt; Total Processing Time = decidedAt − shownAt (the review time);
 * Operator Identification Sequence with the officer's ID as a code (coding scheme 99CLEARWAY) and
 * name; the officer's marks, if any, as PTOs. Explicit VR Little Endian.
 */
export function writeOperatorTdr(input: OperatorTdrInput): Uint8Array {
  const { decision } = input;
  const decidedAt = parseTime(decision.decidedAt, 'decidedAt');
  const shownAt = parseTime(decision.shownAt, 'shownAt');
  const { ds, sopInstanceUid } = commonDataset(input, input.createdAt ?? new Date());
  const id = decision.officer.id;
  Object.assign(ds, {
    TDRType: 'OPERATOR',
    AbortFlag: 'SUCCESS',
    AlarmDecision: decision.verdict === 'search' ? 'ALARM' : 'CLEAR',
    AlarmDecisionTime: toDicomDateTime(decidedAt),
    TotalProcessingTime: Math.max(0, decidedAt.getTime() - shownAt.getTime()),
    OperatorsName: fit(decision.officer.name, 64),
    OperatorIdentificationSequence: [{
      PersonIdentificationCodeSequence: [{
        // CodeValue is SH (16 characters); longer IDs go in Long Code Value (UC).
        ...(id.length <= 16 ? { CodeValue: id } : { LongCodeValue: id }),
        CodingSchemeDesignator: '99CLEARWAY',
        CodeMeaning: fit(decision.officer.name, 64),
      }],
    }],
  });
  return writeFile(ds, { sopClassUid: SOP_CLASS.tdr, sopInstanceUid });
}

/** A MACHINE TDR: the scanner's (or a detector's) own threat recognition for an image. */
export function writeMachineTdr(input: MachineTdrInput): Uint8Array {
  const { ds, sopInstanceUid } = commonDataset(input, input.createdAt ?? new Date());
  const aborted = (input.abortReasons ?? []).length > 0;
  if (input.algorithm.trim() === '') throw new RangeError('algorithm must not be empty');
  Object.assign(ds, {
    TDRType: 'MACHINE',
    AbortFlag: aborted ? 'ABORT' : 'SUCCESS',
    ...(aborted ? { AbortReason: input.abortReasons } : {}),
    ThreatDetectionAlgorithmandVersion: fit(input.algorithm, 64),
    AlarmDecision: input.alarm ? 'ALARM' : 'CLEAR',
    AlarmDecisionTime: toDicomDateTime(input.alarmDecisionTime ?? new Date()),
    ...(input.processingMs === undefined ? {} : { TotalProcessingTime: input.processingMs }),
  });
  return writeFile(ds, { sopClassUid: SOP_CLASS.tdr, sopInstanceUid });
}
