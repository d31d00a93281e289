/**
 * Keys of the search station: ↑ / ↓ through the line, 1 / 2 / 3 for the outcome, a letter for
 * what was found once 1 is chosen, Enter to confirm, Esc to go back, N for the note, + / − / 0 zoom,
 * X to the exit check at reclaim (and back).
 */
import type { SearchOutcomeKind, ThreatClass } from '@clearway/protocol';
import { isTypingTarget } from '../keys.ts';

export type SearchCommand =
  | { kind: 'move'; delta: 1 | -1 }
  | { kind: 'outcome'; outcome: SearchOutcomeKind }
  | { kind: 'class'; threatClass: ThreatClass }
  | { kind: 'confirm' }
  | { kind: 'back' }
  | { kind: 'note' }
  | { kind: 'station' }
  | { kind: 'zoom'; command: 'zoom-in' | 'zoom-out' | 'zoom-reset' };

export const OUTCOME_KEYS: readonly { readonly outcome: SearchOutcomeKind; readonly key: string }[] = [
  { outcome: 'threat-found', key: '1' },
  { outcome: 'other-contraband', key: '2' },
  { outcome: 'nothing-found', key: '3' },
];

/** Each of the simulator's threat classes on its initial, all different. */
export const THREAT_CLASS_KEYS: readonly { readonly threatClass: ThreatClass; readonly key: string }[] = [
  { threatClass: 'gun', key: 'G' },
  { threatClass: 'knife', key: 'K' },
  { threatClass: 'wrench', key: 'W' },
  { threatClass: 'pliers', key: 'P' },
  { threatClass: 'scissors', key: 'S' },
  { threatClass: 'battery', key: 'B' },
  { threatClass: 'lighter', key: 'L' },
  { threatClass: 'hammer', key: 'H' },
];

const ZOOM: Readonly<Record<string, 'zoom-in' | 'zoom-out' | 'zoom-reset'>> = { '+': 'zoom-in', '=': 'zoom-in', '-': 'zoom-out', _: 'zoom-out', '0': 'zoom-reset' };

interface KeyLike {
  key: string;
  repeat: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: unknown;
}

/** The command a key press asks for, or null. Class letters count only while 'threat found' is chosen. */
export function searchCommandForKey(event: KeyLike, choosingClass: boolean): SearchCommand | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  // In the note only Enter (Shift+Enter is a new line) and Esc act.
  if (isTypingTarget(event.target)) {
    if (key === 'Enter' && !event.shiftKey && !event.repeat) return { kind: 'confirm' };
    if (key === 'Escape') return { kind: 'back' };
    return null;
  }
  if (key === 'ArrowDown') return { kind: 'move', delta: 1 };
  if (key === 'ArrowUp') return { kind: 'move', delta: -1 };
  if (key in ZOOM) return { kind: 'zoom', command: ZOOM[key] ?? 'zoom-reset' };
  if (event.repeat) return null;
  if (key === 'Enter') return { kind: 'confirm' };
  if (key === 'Escape') return { kind: 'back' };
  if (key === 'N') return { kind: 'note' };
  if (key === 'X') return { kind: 'station' };
  const outcome = OUTCOME_KEYS.find((k) => k.key === key);
  if (outcome) return { kind: 'outcome', outcome: outcome.outcome };
  const found = choosingClass ? THREAT_CLASS_KEYS.find((k) => k.key === key) : undefined;
  return found ? { kind: 'class', threatClass: found.threatClass } : null;
}
