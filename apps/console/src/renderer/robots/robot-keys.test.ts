import { describe, expect, it } from 'vitest';
import { robotCommandForKey } from './robot-keys.ts';

const press = (key: string, extra: Partial<Parameters<typeof robotCommandForKey>[0]> = {}) =>
  robotCommandForKey({ key, repeat: false, ctrlKey: false, altKey: false, metaKey: false, target: { tagName: 'BODY' }, ...extra });

describe('robot operator keys', () => {
  it('stops every robot on Space, even with a button focused', () => {
    expect(press(' ')).toEqual({ kind: 'stop-all' });
    expect(press('Unidentified', { code: 'Space' })).toEqual({ kind: 'stop-all' });
    expect(press(' ', { target: { tagName: 'BUTTON' } })).toEqual({ kind: 'stop-all' });
    expect(press(' ', { shiftKey: true } as never)).toEqual({ kind: 'stop-all' });
  });

  it('never fires while the operator types', () => {
    expect(press(' ', { target: { tagName: 'INPUT', type: 'text' } })).toBeNull();
    expect(press(' ', { target: { tagName: 'INPUT' } })).toBeNull();
    expect(press(' ', { target: { tagName: 'TEXTAREA' } })).toBeNull();
    expect(press('s', { target: { tagName: 'SELECT' } })).toBeNull();
    expect(press('d', { target: { tagName: 'DIV', isContentEditable: true } })).toBeNull();
  });

  it('ignores shortcuts with modifiers and held-down keys', () => {
    expect(press(' ', { ctrlKey: true })).toBeNull();
    expect(press(' ', { metaKey: true })).toBeNull();
    expect(press(' ', { altKey: true })).toBeNull();
    expect(press(' ', { repeat: true })).toBeNull();
  });

  it('maps the per-robot keys, either case, and 1–9 to the fleet list', () => {
    expect(press('s')).toEqual({ kind: 'stop-selected' });
    expect(press('D')).toEqual({ kind: 'dock' });
    expect(press('x')).toEqual({ kind: 'cancel-goal' });
    expect(press('?')).toEqual({ kind: 'help' });
    expect(press('1')).toEqual({ kind: 'select', index: 0 });
    expect(press('9')).toEqual({ kind: 'select', index: 8 });
    expect(press('0')).toBeNull();
    expect(press('Enter')).toBeNull();
    expect(press('Escape')).toBeNull();
  });
});
