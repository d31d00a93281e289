/**
 * The exit-check view's logic, kept out of React: which passenger is on screen, moving through
 * the list, what a stop records, and the words for each state. The list itself comes from the hub
 * (`exit-check:list`) already in order: whom to look out for first.
 */
import type { ExitCheckEntry, ExitCheckState, SearchOutcomeKind } from '@clearway/protocol';
import { isTypingTarget } from '../keys.ts';
import { stepThrough } from '../list-selection.ts';

export const STATE_TEXT: Readonly<Record<ExitCheckState, string>> = {
  'look-out': 'Look out',
  directed: 'Sent to search',
  searched: 'Searched',
};

export const OUTCOME_TEXT: Readonly<Record<SearchOutcomeKind, string>> = {
  'threat-found': 'threat found',
  'other-contraband': 'other contraband',
  'nothing-found': 'nothing found',
};

export function counts(entries: readonly ExitCheckEntry[]): Record<ExitCheckState, number> {
  const n: Record<ExitCheckState, number> = { 'look-out': 0, directed: 0, searched: 0 };
  for (const e of entries) n[e.state]++;
  return n;
}

/** The entry on screen: the one chosen if it is still listed, else the first (the longest waiting). */
export function selectedEntry(entries: readonly ExitCheckEntry[], key: string | null): ExitCheckEntry | null {
  return entries.find((e) => e.key === key) ?? entries[0] ?? null;
}

export function moveSelection(entries: readonly ExitCheckEntry[], key: string | null, delta: 1 | -1): string | null {
  return stepThrough(entries.map((e) => e.key), key, delta);
}

/** The bags a stop records: those of the passenger still to look out for. Empty: nothing to record. */
export function bagsToDirect(entry: ExitCheckEntry | null): string[] {
  return entry ? entry.bags.filter((b) => b.state === 'look-out').map((b) => b.bagId) : [];
}

/** Who to look for, as the officer would call them. */
export function passengerText(entry: ExitCheckEntry): string {
  if (!entry.passenger) return 'Passenger not on a manifest: ask at the belt for the bag tag';
  return entry.passenger.name ? `${entry.passenger.name} (${entry.passenger.ref})` : entry.passenger.ref;
}

export function bagStateText(bag: ExitCheckEntry['bags'][number]): string {
  return bag.outcome ? `${STATE_TEXT[bag.state]}: ${OUTCOME_TEXT[bag.outcome]}` : STATE_TEXT[bag.state];
}

export type ExitCheckCommand = { kind: 'move'; delta: 1 | -1 } | { kind: 'direct' } | { kind: 'station' };

interface KeyLike {
  key: string;
  repeat: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: unknown;
}

/** ↑ / ↓ through the list, D records the stop, X back to the search station; held keys act once (arrows excepted). */
export function exitCheckCommandForKey(event: KeyLike): ExitCheckCommand | null {
  if (event.ctrlKey || event.altKey || event.metaKey || isTypingTarget(event.target)) return null;
  if (event.key === 'ArrowDown') return { kind: 'move', delta: 1 };
  if (event.key === 'ArrowUp') return { kind: 'move', delta: -1 };
  if (event.repeat) return null;
  const key = event.key.toUpperCase();
  if (key === 'D') return { kind: 'direct' };
  if (key === 'X') return { kind: 'station' };
  return null;
}
