/** Keyboard-first screening: one key per action, never while the officer is typing. */
export type KeyCommand = 'clear' | 'search' | 'toggle-availability';

export const COMMAND_KEYS = {
  clear: 'C',
  search: 'S',
  'toggle-availability': 'B',
} as const satisfies Record<KeyCommand, string>;

const COMMAND_BY_KEY: ReadonlyMap<string, KeyCommand> = new Map<string, KeyCommand>([
  [COMMAND_KEYS.clear, 'clear'],
  [COMMAND_KEYS.search, 'search'],
  [COMMAND_KEYS['toggle-availability'], 'toggle-availability'],
]);

interface KeyLike {
  key: string;
  repeat: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: unknown;
}

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image']);

function stringProperty(target: object, name: string): string {
  const value: unknown = name in target ? Reflect.get(target, name) : undefined;
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** True when the key goes into a text field (sign-in, notes, search boxes). */
export function isTypingTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  if ('isContentEditable' in target && target.isContentEditable === true) return true;
  const tag = stringProperty(target, 'tagName');
  if (tag === 'textarea' || tag === 'select') return true;
  return tag === 'input' && !NON_TEXT_INPUTS.has(stringProperty(target, 'type') || 'text');
}

/** The command a key press asks for, or null. Held-down keys (auto-repeat) and shortcuts with modifiers are ignored. */
export function commandForKey(event: KeyLike): KeyCommand | null {
  if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) return null;
  if (isTypingTarget(event.target)) return null;
  return COMMAND_BY_KEY.get(event.key.toUpperCase()) ?? null;
}

// ---- image tools -------------------------------------------------------------------------

/** The officer's image tools, each on one key (none of C, S, B, which decide and take breaks). */
export type ToolCommand =
  | 'mode-colour'
  | 'mode-grayscale'
  | 'inverse'
  | 'edge'
  | 'strip-organic'
  | 'strip-inorganic'
  | 'slice'
  | 'slice-down'
  | 'slice-up'
  | 'slice-narrow'
  | 'slice-widen'
  | 'mark'
  | 'brighter'
  | 'darker'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-reset'
  | 'pan-left'
  | 'pan-right'
  | 'pan-up'
  | 'pan-down'
  | 'boxes'
  | 'reset'
  | 'help'
  | 'close-help';

export interface ToolKey {
  readonly command: ToolCommand;
  /** KeyboardEvent.key values, letters in upper case. */
  readonly keys: readonly string[];
  /** What the key cap shows. */
  readonly cap: string;
  readonly label: string;
  /** Held down, the key repeats (zoom, pan, window, brightness); toggles never do. */
  readonly repeats: boolean;
}

/** Every tool key, in the order the help lists them. */
export const TOOL_KEYS: readonly ToolKey[] = [
  { command: 'mode-colour', keys: ['1'], cap: '1', label: 'Material colour', repeats: false },
  { command: 'mode-grayscale', keys: ['2'], cap: '2', label: 'Grayscale (high energy)', repeats: false },
  { command: 'inverse', keys: ['I'], cap: 'I', label: 'Inverse', repeats: false },
  { command: 'edge', keys: ['E'], cap: 'E', label: 'Edge enhancement', repeats: false },
  { command: 'strip-organic', keys: ['O'], cap: 'O', label: 'Organic strip (OS): hide organics', repeats: false },
  { command: 'strip-inorganic', keys: ['M'], cap: 'M', label: 'Inorganic strip (IS/MS): hide inorganic and metal', repeats: false },
  { command: 'slice', keys: ['D'], cap: 'D', label: 'Density slice on/off', repeats: false },
  { command: 'slice-down', keys: ['['], cap: '[', label: 'Density window lighter (less dense)', repeats: true },
  { command: 'slice-up', keys: [']'], cap: ']', label: 'Density window denser', repeats: true },
  { command: 'slice-narrow', keys: ['{'], cap: '⇧[', label: 'Density window narrower', repeats: true },
  { command: 'slice-widen', keys: ['}'], cap: '⇧]', label: 'Density window wider', repeats: true },
  { command: 'mark', keys: ['X'], cap: 'X', label: 'Mark impenetrable areas', repeats: false },
  { command: 'darker', keys: [',', '<'], cap: ',', label: 'Darker (gamma)', repeats: true },
  { command: 'brighter', keys: ['.', '>'], cap: '.', label: 'Brighter (gamma)', repeats: true },
  { command: 'zoom-in', keys: ['+', '='], cap: '+', label: 'Zoom in', repeats: true },
  { command: 'zoom-out', keys: ['-', '_'], cap: '−', label: 'Zoom out', repeats: true },
  { command: 'zoom-reset', keys: ['0'], cap: '0', label: 'Fit the whole bag', repeats: false },
  { command: 'pan-left', keys: ['ARROWLEFT'], cap: '←', label: 'Pan left', repeats: true },
  { command: 'pan-right', keys: ['ARROWRIGHT'], cap: '→', label: 'Pan right', repeats: true },
  { command: 'pan-up', keys: ['ARROWUP'], cap: '↑', label: 'Pan up', repeats: true },
  { command: 'pan-down', keys: ['ARROWDOWN'], cap: '↓', label: 'Pan down', repeats: true },
  { command: 'boxes', keys: ['H'], cap: 'H', label: "Hide / show the machine's boxes", repeats: false },
  { command: 'reset', keys: ['R'], cap: 'R', label: 'Reset every tool', repeats: false },
  { command: 'help', keys: ['?'], cap: '?', label: 'This help', repeats: false },
  { command: 'close-help', keys: ['ESCAPE'], cap: 'Esc', label: 'Close the help', repeats: false },
];

const TOOL_BY_KEY: ReadonlyMap<string, ToolKey> = new Map(TOOL_KEYS.flatMap((k) => k.keys.map((key) => [key, k] as const)));

export function toolKey(command: ToolCommand): ToolKey {
  const key = TOOL_KEYS.find((k) => k.command === command);
  if (!key) throw new Error(`no key for ${command}`);
  return key;
}

/** The image tool a key press asks for, or null. Not while typing, not with Ctrl/Alt/Meta (Shift is part of ?, +, { and }). */
export function toolCommandForKey(event: KeyLike): ToolCommand | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  if (isTypingTarget(event.target)) return null;
  const tool = TOOL_BY_KEY.get(event.key.toUpperCase());
  if (!tool || (event.repeat && !tool.repeats)) return null;
  return tool.command;
}

// ---- the console model's boxes (AI detection) -------------------------------------------------

/** Keys for the console model's boxes; none of them is a decision, break or image-tool key. */
export type AiCommand = 'ai-boxes' | 'ai-next' | 'ai-mark';

export const AI_KEYS: readonly { readonly command: AiCommand; readonly key: string; readonly label: string }[] = [
  { command: 'ai-boxes', key: 'A', label: "Hide / show the AI model's boxes" },
  { command: 'ai-next', key: 'N', label: 'Select the next AI box' },
  { command: 'ai-mark', key: 'T', label: 'Mark the selected AI box: threat → not a threat → unmarked' },
];

export function aiKey(command: AiCommand): string {
  return AI_KEYS.find((k) => k.command === command)?.key ?? '';
}

/** The AI-box command a key press asks for, or null. Never while typing, with modifiers or held down. */
export function aiCommandForKey(event: KeyLike): AiCommand | null {
  if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) return null;
  if (isTypingTarget(event.target)) return null;
  const key = event.key.toUpperCase();
  return AI_KEYS.find((k) => k.key === key)?.command ?? null;
}
