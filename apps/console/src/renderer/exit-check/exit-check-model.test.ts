import { describe, expect, it } from 'vitest';
import type { ExitCheckEntry } from '@clearway/protocol';
import { bagStateText, bagsToDirect, counts, exitCheckCommandForKey, moveSelection, passengerText, selectedEntry } from './exit-check-model.ts';

const bag = (tag: string, state: ExitCheckEntry['state'], outcome: ExitCheckEntry['bags'][number]['outcome'] = null): ExitCheckEntry['bags'][number] => ({
  bagId: `00000000-0000-4000-8000-00000000000${tag.slice(-1)}`, bagTag: tag, flaggedAt: '2025-06-01T10:00:00Z', reasons: ['random selection'], state, outcome,
});
const entry = (key: string, state: ExitCheckEntry['state'], bags: ExitCheckEntry['bags'], passenger: ExitCheckEntry['passenger'] = null): ExitCheckEntry => ({
  key, passenger, flight: 'CA932', state, flaggedAt: '2025-06-01T10:00:00Z', searchedAt: null, bags,
});

const list = [
  entry('ZX4K2P-1', 'look-out', [bag('0999000001', 'look-out'), bag('0999000002', 'directed')], { ref: 'ZX4K2P-1', name: 'WANG/FANG' }),
  entry('bag:0999000003', 'directed', [bag('0999000003', 'directed')]),
  entry('QW7T9R-1', 'searched', [bag('0999000004', 'searched', 'nothing-found')], { ref: 'QW7T9R-1', name: null }),
];

describe('exit-check view model', () => {
  it('counts passengers by state and picks the first until the officer moves', () => {
    expect(counts(list)).toEqual({ 'look-out': 1, directed: 1, searched: 1 });
    expect(selectedEntry(list, null)?.key).toBe('ZX4K2P-1');
    expect(selectedEntry(list, 'gone')?.key).toBe('ZX4K2P-1');
    expect(moveSelection(list, null, 1)).toBe('bag:0999000003');
    expect(moveSelection(list, 'QW7T9R-1', 1)).toBe('QW7T9R-1');
    expect(moveSelection(list, 'ZX4K2P-1', -1)).toBe('ZX4K2P-1');
    expect(moveSelection([], null, 1)).toBeNull();
    expect(selectedEntry([], null)).toBeNull();
  });

  it('records a stop only for bags still to look out for', () => {
    expect(bagsToDirect(list[0] ?? null)).toEqual(['00000000-0000-4000-8000-000000000001']);
    expect(bagsToDirect(list[1] ?? null)).toEqual([]);
    expect(bagsToDirect(null)).toEqual([]);
  });

  it('names the passenger as the officer calls them, and says how each bag ended', () => {
    expect(passengerText(list[0] as ExitCheckEntry)).toBe('WANG/FANG (ZX4K2P-1)');
    expect(passengerText(list[2] as ExitCheckEntry)).toBe('QW7T9R-1');
    expect(passengerText(list[1] as ExitCheckEntry)).toMatch(/not on a manifest/);
    expect(bagStateText(bag('0999000004', 'searched', 'nothing-found'))).toBe('Searched: nothing found');
    expect(bagStateText(bag('0999000001', 'look-out'))).toBe('Look out');
  });

  it('keys: arrows move, D records the stop once per press, X goes back; none while typing or with modifiers', () => {
    const press = (key: string, over: Partial<{ repeat: boolean; ctrlKey: boolean; target: unknown }> = {}) =>
      exitCheckCommandForKey({ key, repeat: false, ctrlKey: false, altKey: false, metaKey: false, target: null, ...over });
    expect(press('ArrowDown')).toEqual({ kind: 'move', delta: 1 });
    expect(press('ArrowUp', { repeat: true })).toEqual({ kind: 'move', delta: -1 });
    expect(press('d')).toEqual({ kind: 'direct' });
    expect(press('d', { repeat: true })).toBeNull();
    expect(press('X')).toEqual({ kind: 'station' });
    expect(press('d', { ctrlKey: true })).toBeNull();
    expect(press('d', { target: { tagName: 'INPUT', type: 'text' } })).toBeNull();
    expect(press('q')).toBeNull();
  });
});
