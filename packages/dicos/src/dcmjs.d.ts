/**
 * The part of dcmjs 0.52 that @clearway/dicos uses. dcmjs ships no TypeScript types; these are
 * written from its source (build/dcmjs.es.js) and cover only what this package calls.
 */
declare module 'dcmjs' {
  /** One element of a denaturalized data set, keyed by its tag in `GGGGEEEE` form. */
  export interface DicomElement {
    vr: string;
    Value?: unknown[];
  }
  export type DenaturalizedDataset = Record<string, DicomElement>;
  /** A data set keyed by attribute keyword (`Rows`, `ThreatSequence`, …), as dcmjs naturalizes it. */
  export type NaturalDataset = Record<string, unknown>;

  export interface DictionaryEntry {
    tag: string;
    vr: string;
    name: string;
    vm: string;
    version?: string;
  }

  export interface ReadFileOptions {
    ignoreErrors?: boolean;
    untilTag?: string | null;
    includeUntilTagValue?: boolean;
    /** Keep views on the input buffer instead of copying each value. */
    noCopy?: boolean;
    forceStoreRaw?: boolean;
  }

  export class DicomDict {
    constructor(meta: DenaturalizedDataset);
    meta: DenaturalizedDataset;
    dict: DenaturalizedDataset;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  // dcmjs models these as classes with static members only.
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class
  export class DicomMessage {
    static readFile(buffer: ArrayBuffer, options?: ReadFileOptions): DicomDict;
  }

  // eslint-disable-next-line @typescript-eslint/no-extraneous-class
  export class DicomMetaDictionary {
    static naturalizeDataset(dataset: DenaturalizedDataset): NaturalDataset;
    static denaturalizeDataset(dataset: NaturalDataset): DenaturalizedDataset;
    static punctuateTag(rawTag: string): string;
    static unpunctuateTag(tag: string): string;
    /** Keyword → entry; tags as `(GGGG,EEEE)`. */
    static nameMap: Record<string, DictionaryEntry | undefined>;
    /** `(GGGG,EEEE)` → entry (a lazy proxy: look entries up, do not enumerate it). */
    static dictionary: Record<string, DictionaryEntry | undefined>;
  }

  export interface Logger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
    getLogger(name: string): Logger;
  }

  const dcmjs: {
    data: {
      DicomDict: typeof DicomDict;
      DicomMessage: typeof DicomMessage;
      DicomMetaDictionary: typeof DicomMetaDictionary;
    };
    log: Logger;
  };
  export default dcmjs;
}
