import { describe, expect, it } from 'vitest';
import { AI_KEYS, COMMAND_KEYS, TOOL_KEYS } from '../keys.ts';
import { SEND_ROBOT_KEY, isSendRobotKey } from './send-robot.ts';

const press = (key: string, extra: Partial<Parameters<typeof isSendRobotKey>[0]> = {}) =>
  isSendRobotKey({ key, repeat: false, ctrlKey: false, altKey: false, metaKey: false, target: { tagName: 'BODY' }, ...extra });

describe('send robot key', () => {
  it('is F, either case, and nothing else', () => {
    expect(press('f')).toBe(true);
    expect(press('F')).toBe(true);
    expect(press('b')).toBe(false);
  });

  it('never fires while typing, held down or with modifiers', () => {
    expect(press('f', { target: { tagName: 'INPUT', type: 'text' } })).toBe(false);
    expect(press('f', { repeat: true })).toBe(false);
    expect(press('f', { ctrlKey: true })).toBe(false);
  });

  it('is used by no screening command, image tool or AI box key', () => {
    const taken = [...Object.values(COMMAND_KEYS), ...TOOL_KEYS.flatMap((k) => k.keys), ...AI_KEYS.map((k) => k.key)];
    expect(taken).not.toContain(SEND_ROBOT_KEY);
  });
});
