import { describe, expect, it } from 'vitest';
import { commandText, failAll, sendingAll, statusesFromReply, stopWords } from './commands.ts';

const CMD = '00000000-0000-4000-8000-00000000c0de';

describe('command replies', () => {
  it('gives each robot its outcome from the reply', () => {
    const reply = {
      ok: true,
      commandId: CMD,
      results: [
        { commandId: CMD, robotId: 'robot_1', command: 'emergency-stop', outcome: 'accepted', reason: null, elapsedMs: 12 },
        { commandId: CMD, robotId: 'robot_2', command: 'emergency-stop', outcome: 'timeout', reason: 'no answer in 3 s', elapsedMs: 3000 },
      ],
    };
    const { statuses, error } = statusesFromReply('emergency-stop', ['robot_1', 'robot_2', 'robot_3'], reply, 7);
    expect(error).toBeNull();
    expect(statuses['robot_1']).toEqual({ command: 'emergency-stop', phase: 'accepted', reason: null, atMs: 7 });
    expect(statuses['robot_2']?.phase).toBe('timeout');
    expect(statuses['robot_3']).toMatchObject({ phase: 'failed', reason: 'no bridge holds this robot' });
  });

  it('fails every robot on a refusal or an unreadable reply', () => {
    const refused = statusesFromReply('goal', ['robot_1'], { ok: false, error: { code: 'forbidden', message: 'not your role' } }, 1);
    expect(refused.error).toBe('not your role');
    expect(refused.statuses['robot_1']).toMatchObject({ phase: 'failed', reason: 'not your role' });
    const garbled = statusesFromReply('goal', ['robot_1'], { ok: 'yes' }, 1);
    expect(garbled.error).toContain('unreadable');
    expect(failAll('dock', ['a', 'b'], 'the hub did not answer', 2).statuses['b']?.reason).toBe('the hub did not answer');
    expect(sendingAll('dock', ['a'], 3)['a']?.phase).toBe('sending');
  });
});

describe('emergency stop words', () => {
  const at = (command: 'emergency-stop' | 'release' | 'goal', phase: 'sending' | 'accepted' | 'rejected' | 'timeout' | 'failed', reason: string | null = null) => ({ command, phase, reason, atMs: 0 });

  it('confirms a stop only when the robot confirmed it', () => {
    expect(stopWords('engaged', at('emergency-stop', 'sending'))).toMatchObject({ confirmed: false, stopped: true, tone: 'warn' });
    expect(stopWords('engaged', at('emergency-stop', 'accepted'))).toMatchObject({ confirmed: true, text: 'STOPPED — confirmed by the robot' });
    expect(stopWords('unknown', at('emergency-stop', 'timeout', 'no answer'))).toMatchObject({ confirmed: false, tone: 'bad', text: 'Stop NOT confirmed — no answer' });
  });

  it('shows a stop engaged elsewhere, a release in flight and a failed release', () => {
    expect(stopWords('engaged', undefined)).toMatchObject({ text: 'STOPPED', stopped: true });
    expect(stopWords('engaged', at('goal', 'accepted'))).toMatchObject({ text: 'STOPPED' });
    expect(stopWords('engaged', at('release', 'sending')).text).toBe('Releasing the stop…');
    expect(stopWords('engaged', at('release', 'rejected', 'bridge busy')).text).toBe('STOPPED — release failed: bridge busy');
    expect(stopWords('released', at('release', 'accepted'))).toMatchObject({ stopped: false, text: 'Not stopped' });
    expect(stopWords('unknown', undefined)).toMatchObject({ stopped: false, text: 'No stop sent' });
  });

  it('words every command outcome', () => {
    expect(commandText(at('goal', 'sending'))).toBe('Goal sent — waiting for the robot');
    expect(commandText(at('goal', 'rejected', 'goal inside an obstacle'))).toBe('Goal refused: goal inside an obstacle');
    expect(commandText({ command: 'dock', phase: 'timeout', reason: null, atMs: 0 })).toBe('Dock: the robot did not answer');
    expect(commandText(at('emergency-stop', 'accepted'))).toBe('Stop confirmed by the robot');
  });
});
