import { describe, expect, it } from 'vitest';
import { commandForKey, isTypingTarget } from './keys.ts';

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
