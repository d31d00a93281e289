import { describe, expect, it } from 'vitest';
import { ThreatClass } from '@clearway/protocol';
import { TOOL_KEYS } from '../keys.ts';
import { THREAT_CLASS_KEYS, searchCommandForKey } from './search-keys.ts';

const press = (key: string, over: Partial<{ repeat: boolean; shiftKey: boolean; ctrlKey: boolean; target: unknown }> = {}, choosingClass = false) =>
  searchCommandForKey({ key, repeat: false, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, target: null, ...over }, choosingClass);
const textarea = { tagName: 'TEXTAREA' };

describe('search station keys', () => {
  it('moves with the arrows, chooses the outcome with 1 / 2 / 3, confirms with Enter', () => {
    expect(press('ArrowDown')).toEqual({ kind: 'move', delta: 1 });
    expect(press('ArrowUp', { repeat: true })).toEqual({ kind: 'move', delta: -1 });
    expect(['1', '2', '3'].map((k) => press(k))).toEqual([
      { kind: 'outcome', outcome: 'threat-found' },
      { kind: 'outcome', outcome: 'other-contraband' },
      { kind: 'outcome', outcome: 'nothing-found' },
    ]);
    expect(press('Enter')).toEqual({ kind: 'confirm' });
    expect(press('Enter', { repeat: true })).toBeNull(); // a held key confirms once
    expect(press('Escape')).toEqual({ kind: 'back' });
  });

  it('gives every threat class its own letter, active only once "threat found" is chosen', () => {
    expect(THREAT_CLASS_KEYS.map((k) => k.threatClass).sort()).toEqual([...ThreatClass.options].sort());
    expect(new Set(THREAT_CLASS_KEYS.map((k) => k.key)).size).toBe(THREAT_CLASS_KEYS.length);
    expect(press('k')).toBeNull();
    expect(press('k', {}, true)).toEqual({ kind: 'class', threatClass: 'knife' });
    expect(press('G', {}, true)).toEqual({ kind: 'class', threatClass: 'gun' });
    // No class letter is N (note), X (exit check) or a key the station uses otherwise.
    expect(THREAT_CLASS_KEYS.map((k) => k.key)).not.toContain('N');
    expect(THREAT_CLASS_KEYS.map((k) => k.key)).not.toContain('X');
    expect(press('x')).toEqual({ kind: 'station' });
    expect(press('x', { target: textarea })).toBeNull();
    expect(press('x', { repeat: true })).toBeNull();
  });

  it('leaves the note to the officer: only Enter and Esc act while typing', () => {
    expect(press('1', { target: textarea })).toBeNull();
    expect(press('k', { target: textarea }, true)).toBeNull();
    expect(press('Enter', { target: textarea })).toEqual({ kind: 'confirm' });
    expect(press('Enter', { target: textarea, shiftKey: true })).toBeNull();
    expect(press('Escape', { target: textarea })).toEqual({ kind: 'back' });
    expect(press('1', { ctrlKey: true })).toBeNull();
  });

  it('zooms with the viewer\'s own zoom keys', () => {
    const zoomKeys = TOOL_KEYS.filter((k) => k.command.startsWith('zoom')).flatMap((k) => k.keys);
    for (const key of zoomKeys) expect(press(key)).toMatchObject({ kind: 'zoom' });
  });
});
