export interface FieldDef {
  name: string;
  type: string;
  isComplex: boolean;
  isArray: boolean;
  arrayLength?: number;
  arrayUpperBound?: number;
  hasDefault: boolean;
  defaultValue?: unknown;
}

export interface MessageType {
  kind: 'msg';
  name: string;
  fields: FieldDef[];
  constants: Record<string, unknown>;
}

export interface ServiceType {
  kind: 'srv';
  name: string;
  Request: MessageType;
  Response: MessageType;
}

export type InterfaceType = MessageType | ServiceType;

export const GENERATED_ROOT: string;
export function loadInterface(spec: unknown): InterfaceType;
export function loadMessageType(spec: unknown): MessageType;
export function loadServiceType(spec: unknown): ServiceType;
/** Checks a message and returns a normalised copy; throws a TypeError naming the field. */
export function normalizeMessage(type: MessageType, value: unknown): Record<string, unknown>;
export function defaultMessage(type: MessageType): Record<string, unknown>;
export function knownInterfaces(): string[];
