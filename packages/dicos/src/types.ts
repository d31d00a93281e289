import type { NaturalDataset } from './dcm.ts';
import type { PixelFormat, StoredPixels } from './pixels.ts';

/** What every DICOS object read carries. */
export interface DicosObjectBase {
  sopClassUid: string;
  /** Human-readable SOP class, e.g. "DICOS Digital X-Ray Image - For Presentation". */
  sopClass: string;
  sopInstanceUid: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  modality?: string;
  transferSyntaxUid: string;
  transferSyntax: string;
  /** Accession Number (0008,0050), when present. */
  accessionNumber?: string;
  /** When the object was acquired or created (ISO 8601), from Acquisition/Content/Study date and time. */
  acquiredAt?: string;
  /** The whole data set as dcmjs naturalized it (keyword → value), for anything not lifted out here. */
  dataset: NaturalDataset;
}

export type DicosImageType = 'dx' | 'ct';

/** A DX image (one or more frames) or a CT volume (one frame per slice). */
export interface DicosImage extends DicosObjectBase {
  kind: 'image';
  imageType: DicosImageType;
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: number;
  bitsStored: number;
  /** 0 unsigned, 1 two's complement; 0 for float pixels. */
  pixelRepresentation: number;
  /** True for Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009). */
  floatPixels: boolean;
  photometricInterpretation: 'MONOCHROME1' | 'MONOCHROME2';
  rescaleSlope: number;
  rescaleIntercept: number;
  rescaleType?: string;
  /** Row spacing then column spacing, in mm (Pixel Spacing 0028,0030). */
  pixelSpacing?: [number, number];
  /** Slice spacing in mm (Spacing Between Slices, else Slice Thickness), for CT. */
  sliceSpacing?: number;
  presentationIntentType?: string;
  imageTypeValues: string[];
  format: PixelFormat;
  /** Range of the stored values Bits Stored and Pixel Representation allow, before rescale; null for floats. */
  storedRange: [number, number] | null;
  /** The stored values of every frame, frame after frame, row-major (a view on the file's bytes where aligned). */
  stored: StoredPixels;
  /** Modality values (rescale applied) of one frame, row-major, rows × columns. */
  frameValues(frame: number): Float64Array;
}

/** A Potential Threat Object of a TDR (one item of the Threat Sequence, 4010,1011). */
export interface DicosPto {
  /** Potential Threat Object ID (4010,1010). */
  id: number;
  /** Threat Category (4010,1012) of the first assessment, e.g. EXPLOSIVE. */
  category?: string;
  /** Threat Category Description (4010,1013). */
  categoryDescription?: string;
  /** What to call it on screen: the description, else the category. */
  label?: string;
  /** ATD Assessment Flag (4010,1015): HIGH_THREAT, THREAT, NO_THREAT, UNKNOWN. */
  assessmentFlag?: string;
  /** ATD Ability Assessment (4010,1014). */
  abilityAssessment?: string;
  /** ATD Assessment Probability (4010,1016), 0–1. */
  probability?: number;
  /** The image the PTO was found in (PTO Representation Sequence → Referenced Instance Sequence). */
  referencedSopInstanceUid?: string;
  referencedSopClassUid?: string;
  /** Threat ROI Base (4010,1004) and Extents (4010,1005), (x, y, z) in image coordinates. */
  roi?: { base: [number, number, number]; extents: [number, number, number] };
  /** Bounding Polygon (4010,101D) vertices, (x, y, z). */
  polygon?: [number, number, number][];
  /** Axis-aligned box in image coordinates: the ROI, else the polygon's bounds. z is the frame / slice. */
  box?: { x: number; y: number; z: number; width: number; height: number; depth: number };
  mass?: number;
  density?: number;
  zEffective?: number;
}

export interface DicosReference {
  sopInstanceUid: string;
  sopClassUid?: string;
}

/** A Threat Detection Report. */
export interface DicosTdr extends DicosObjectBase {
  kind: 'tdr';
  /** TDR Type (4010,1027): MACHINE, OPERATOR, GROUND_TRUTH, AGGREGATE, … */
  tdrType?: string;
  /** Alarm Decision (4010,1031): ALARM, CLEAR, UNKNOWN. */
  alarmDecision?: string;
  /** Alarm Decision Time (4010,102B) as ISO 8601. */
  alarmDecisionAt?: string;
  /** Abort Flag (4010,1024): SUCCESS or ABORT. */
  abortFlag?: string;
  /** Abort Reason (4010,1021), possibly several. */
  abortReasons: string[];
  /** Threat Detection Algorithm and Version (4010,1029), its values joined by spaces. */
  algorithm?: string;
  /** Total Processing Time (4010,1069) in ms: from the report, else the largest of its PTOs. */
  processingTimeMs?: number;
  /** Number of Total Objects (4010,1033) / Number of Alarm Objects (4010,1034). */
  totalObjects?: number;
  alarmObjects?: number;
  /** Operator Identification Sequence (0008,1072) and Operators' Name (0008,1070), for OPERATOR TDRs. */
  operator?: { id?: string; name?: string };
  ptos: DicosPto[];
  /** The image the report is about: the first referenced instance that is not a TDR. */
  referencedImage?: DicosReference;
  /** Every distinct instance referenced (PTO representations, Referenced Series Sequence, …). */
  references: DicosReference[];
}

export type DicosObject = DicosImage | DicosTdr;
