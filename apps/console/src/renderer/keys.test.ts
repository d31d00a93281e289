import { describe, expect, it } from 'vitest';
import { COMMAND_KEYS, TOOL_KEYS, commandForKey, isTypingTarget, toolCommandForKey } from './keys.ts';

const press = (key: string, extra: Partial<Parameters<typeof commandForKey>[0]> = {}) =>
  commandForKey({ key, repeat: false, ctrlKey: false, altKey: false, metaKey: false, target: { tagName: 'BODY' }, ...extra });

describe('screening keys', () => {
  it('maps C, S and B, either case', () => {
    expect(press('c')).toBe('clear');
    expect(press('C')).toBe('clear');
    expect(press('s')).toBe('search');
    expect(press('b')).toBe('toggle-availability');
    expect(press('x')).toBeNull();
    expect(press('Enter')).toBeNull();
  });

  it('ignores keys typed into text fields', () => {
    expect(press('c', { target: { tagName: 'INPUT', type: 'text' } })).toBeNull();
    expect(press('s', { target: { tagName: 'INPUT', type: 'password' } })).toBeNull();
    expect(press('s', { target: { tagName: 'TEXTAREA' } })).toBeNull();
    expect(press('c', { target: { tagName: 'DIV', isContentEditable: true } })).toBeNull();
    expect(press('c', { target: { tagName: 'BUTTON' } })).toBe('clear');
    expect(press('c', { target: { tagName: 'INPUT', type: 'checkbox' } })).toBe('clear');
  });

  it('ignores held-down keys and shortcuts with modifiers', () => {
    expect(press('c', { repeat: true })).toBeNull();
    expect(press('c', { ctrlKey: true })).toBeNull();
    expect(press('s', { metaKey: true })).toBeNull();
    expect(press('b', { altKey: true })).toBeNull();
  });

  it('treats a missing target as not typing', () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget(undefined)).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
  });
});

const tool = (key: string, extra: Partial<Parameters<typeof toolCommandForKey>[0]> = {}) =>
  toolCommandForKey({ key, repeat: false, ctrlKey: false, altKey: false, metaKey: false, target: { tagName: 'BODY' }, ...extra });

describe('image tool keys', () => {
  it('map every tool, either case', () => {
    expect(tool('1')).toBe('mode-colour');
    expect(tool('2')).toBe('mode-grayscale');
    expect(tool('i')).toBe('inverse');
    expect(tool('E')).toBe('edge');
    expect(tool('o')).toBe('strip-organic');
    expect(tool('m')).toBe('strip-inorganic');
    expect(tool('d')).toBe('slice');
    expect(tool('[')).toBe('slice-down');
    expect(tool(']')).toBe('slice-up');
    expect(tool('{')).toBe('slice-narrow');
    expect(tool('}')).toBe('slice-widen');
    expect(tool('x')).toBe('mark');
    expect(tool('+')).toBe('zoom-in');
    expect(tool('=')).toBe('zoom-in');
    expect(tool('-')).toBe('zoom-out');
    expect(tool('0')).toBe('zoom-reset');
    expect(tool('ArrowLeft')).toBe('pan-left');
    expect(tool('ArrowDown')).toBe('pan-down');
    expect(tool('r')).toBe('reset');
    expect(tool('h')).toBe('boxes');
    expect(tool('?')).toBe('help');
    expect(tool('Escape')).toBe('close-help');
    expect(tool('.')).toBe('brighter');
    expect(tool(',')).toBe('darker');
  });

  it('never take the decision and break keys', () => {
    const decisionKeys = new Set<string>(Object.values(COMMAND_KEYS));
    for (const k of TOOL_KEYS) for (const key of k.keys) expect(decisionKeys.has(key)).toBe(false);
    for (const key of ['c', 's', 'b']) expect(tool(key)).toBeNull();
    const all = TOOL_KEYS.flatMap((k) => k.keys);
    expect(new Set(all).size).toBe(all.length);
  });

  it('are ignored while typing and with Ctrl, Alt or Meta', () => {
    expect(tool('i', { target: { tagName: 'INPUT', type: 'text' } })).toBeNull();
    expect(tool('+', { target: { tagName: 'TEXTAREA' } })).toBeNull();
    expect(tool('0', { ctrlKey: true })).toBeNull();
    expect(tool('ArrowLeft', { altKey: true })).toBeNull();
    expect(tool('i', { target: { tagName: 'BUTTON' } })).toBe('inverse');
  });

  it('repeat when held only where repeating makes sense', () => {
    expect(tool('+', { repeat: true })).toBe('zoom-in');
    expect(tool('ArrowUp', { repeat: true })).toBe('pan-up');
    expect(tool(']', { repeat: true })).toBe('slice-up');
    expect(tool('i', { repeat: true })).toBeNull();
    expect(tool('r', { repeat: true })).toBeNull();
  });
});
