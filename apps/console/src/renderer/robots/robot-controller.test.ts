import { beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ConsoleToHubEvents, HubToConsoleEvents } from '@clearway/protocol';
import { RobotController } from './robot-controller.ts';
import { resetRobots, useRobots } from './robot-store.ts';
import { mission, robotState } from './test-robots.ts';

const CMD = '00000000-0000-4000-8000-00000000c0de';

type Ack = (error: Error | null, reply?: unknown) => void;

/** Just enough of a socket.io client: handlers by event, and emits answered by `answer`. */
class FakeSocket {
  connected = true;
  readonly handlers = new Map<string, (raw: unknown) => void>();
  readonly sent: { event: string; payload: unknown }[] = [];
  answer: (event: string, payload: unknown, ack: Ack) => void = () => {};

  on(event: string, handler: (raw: unknown) => void): this {
    this.handlers.set(event, handler);
    return this;
  }

  timeout(_ms: number) {
    return {
      emit: (event: string, payload: unknown, ack: Ack) => {
        this.sent.push({ event, payload });
        this.answer(event, payload, ack);
      },
    };
  }

  push(event: string, raw: unknown): void {
    this.handlers.get(event)?.(raw);
  }
}

function setup() {
  const socket = new FakeSocket();
  const controller = new RobotController(socket as unknown as Socket<HubToConsoleEvents, ConsoleToHubEvents>, () => 42);
  return { socket, controller };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => resetRobots());

describe('robot pushes', () => {
  it('applies valid pushes and drops invalid ones whole', () => {
    const { socket } = setup();
    socket.push('robot:fleet', { robots: [robotState('robot_1')], missions: [], log: [], at: '2025-05-01T10:00:00.000Z' });
    expect(useRobots.getState().fleet.order).toEqual(['robot_1']);
    // NaN arrives as null: a pose with a null coordinate fails the schema; that robot's picture
    // is dropped, the other robot's in the same batch is kept.
    socket.push('robot:states', { states: [robotState('robot_1', { seq: 2, atMs: 2_000_000, pose: { x: null, y: 1, theta: 0 } as never }), robotState('robot_3')] });
    expect(useRobots.getState().fleet.robots['robot_1']?.state.seq).toBe(1);
    expect(useRobots.getState().fleet.order).toEqual(['robot_1', 'robot_3']);
    socket.push('robot:states', { states: [robotState('robot_1', { seq: 2, atMs: 2_000_000, pose: null, battery: null })] });
    expect(useRobots.getState().fleet.robots['robot_1']?.state.pose).toBeNull();
    socket.push('robot:states', 'garbage');
    socket.push('robot:mission', mission());
    expect(Object.keys(useRobots.getState().missions)).toHaveLength(1);
  });
});

describe('robot commands', () => {
  it('stops every robot and shows what each robot confirmed', async () => {
    const { socket, controller } = setup();
    socket.push('robot:fleet', { robots: [robotState('robot_1'), robotState('robot_2')], missions: [], log: [], at: '2025-05-01T10:00:00.000Z' });
    let answer: Ack = () => {};
    socket.answer = (_e, _p, ack) => (answer = ack);
    controller.stopAll();
    expect(socket.sent[0]).toEqual({ event: 'robot:command', payload: { robotId: '*', command: 'emergency-stop' } });
    expect(useRobots.getState().allStop?.phase).toBe('sending');
    expect(useRobots.getState().commands['robot_2']?.phase).toBe('sending');
    answer(null, {
      ok: true,
      commandId: CMD,
      results: [
        { commandId: CMD, robotId: 'robot_1', command: 'emergency-stop', outcome: 'accepted', reason: null, elapsedMs: 5 },
        { commandId: CMD, robotId: 'robot_2', command: 'emergency-stop', outcome: 'timeout', reason: 'no answer', elapsedMs: 3000 },
      ],
    });
    await flush();
    const s = useRobots.getState();
    expect(s.allStop).toMatchObject({ phase: 'failed', confirmed: 1, reached: 2 });
    expect(s.commands['robot_1']?.phase).toBe('accepted');
    expect(s.commands['robot_2']?.phase).toBe('timeout');
  });

  it('never queues a command while the console is offline', async () => {
    const { socket, controller } = setup();
    socket.connected = false;
    controller.stop('robot_1');
    await flush();
    expect(socket.sent).toEqual([]);
    expect(useRobots.getState().commands['robot_1']).toMatchObject({ phase: 'failed', reason: 'this console is offline' });
  });

  it('says when the hub does not answer, and keeps a newer command’s status', async () => {
    const { socket, controller } = setup();
    const acks: Ack[] = [];
    socket.answer = (_e, _p, ack) => acks.push(ack);
    controller.goal('robot_1', { x: 1, y: 2, theta: 0 });
    expect(useRobots.getState().sentGoals['robot_1']).toEqual({ x: 1, y: 2, theta: 0 });
    controller.dock('robot_1');
    acks[0]?.(new Error('operation has timed out'));
    await flush();
    expect(useRobots.getState().commands['robot_1']).toMatchObject({ command: 'dock', phase: 'sending' });
    acks[1]?.(new Error('operation has timed out'));
    await flush();
    expect(useRobots.getState().commands['robot_1']).toMatchObject({ command: 'dock', phase: 'failed', reason: 'the hub did not answer' });
  });

  it('sends a robot for a flagged bag and follows the mission', async () => {
    const { socket, controller } = setup();
    const m = mission();
    socket.answer = (_e, _p, ack) => ack(null, { ok: true, mission: m, duplicate: false });
    controller.offerDispatch(m.bagId, m.bagTag);
    expect(useRobots.getState().dispatch?.phase).toBe('offered');
    await controller.dispatch(m.bagId, m.bagTag);
    expect(socket.sent[0]).toEqual({ event: 'robot:dispatch', payload: { bagId: m.bagId } });
    expect(useRobots.getState().dispatch).toMatchObject({ phase: 'sent', missionId: m.missionId });
    socket.answer = (_e, _p, ack) => ack(null, { ok: false, error: { code: 'forbidden', message: 'not your bag' } });
    await controller.dispatch(m.bagId, m.bagTag);
    expect(useRobots.getState().dispatch).toMatchObject({ phase: 'failed', error: 'not your bag' });
  });
});
