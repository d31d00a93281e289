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
