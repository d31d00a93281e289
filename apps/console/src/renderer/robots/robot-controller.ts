/**
 * The robot side of the hub link: robot pushes into the store, the operator's commands out.
 * Every push is parsed with its protocol schema first; a bad one is dropped whole.
 */
import type { Socket } from 'socket.io-client';
import { z } from 'zod';
import {
  type ConsoleToHubEvents,
  type HubToConsoleEvents,
  type RobotCommandKind,
  type RobotPose,
  HubRobotState,
  RobotDispatchReply,
} from '@clearway/protocol';
import { parsePush } from '../pushes.ts';
import { failAll, sendingAll, statusesFromReply } from './commands.ts';
import { receiveFleet, receiveLog, receiveMission, receiveStates, setCommands, useRobots } from './robot-store.ts';

type ConsoleSocket = Socket<HubToConsoleEvents, ConsoleToHubEvents>;

/**
 * The hub answers a command once the bridge did or after its own 5 s timeout; an emergency stop
 * waits for the robot's confirmation (up to ~3 s more). Past this the hub itself is not answering.
 */
export const COMMAND_ACK_TIMEOUT_MS = 10_000;
const DISPATCH_ACK_TIMEOUT_MS = 10_000;

function goodStates(raw: unknown): HubRobotState[] {
  const list = z.object({ states: z.array(z.unknown()) }).safeParse(raw);
  if (!list.success) return [];
  return list.data.states.flatMap((s) => {
    const parsed = HubRobotState.safeParse(s);
    return parsed.success ? [parsed.data] : [];
  });
}

export class RobotController {
  constructor(
    private readonly socket: ConsoleSocket,
    private readonly now: () => number = Date.now,
  ) {
    socket.on('robot:fleet', (raw) => {
      const snapshot = parsePush('robot:fleet', raw);
      if (snapshot) receiveFleet(snapshot, this.now());
    });
    socket.on('robot:states', (raw) => {
      const push = parsePush('robot:states', raw);
      if (push) receiveStates(push.states, this.now());
      else {
        // One robot's bad picture must not freeze the others: keep every state that parses.
        const good = goodStates(raw);
        if (good.length > 0) receiveStates(good, this.now());
      }
    });
    socket.on('robot:log', (raw) => {
      const push = parsePush('robot:log', raw);
      if (push) receiveLog(push.lines);
    });
    socket.on('robot:mission', (raw) => {
      const mission = parsePush('robot:mission', raw);
      if (mission) receiveMission(mission);
    });
  }

  /** Stops every robot of every bridge. Never waits behind anything this console sends. */
  stopAll(): void {
    const ids = useRobots.getState().fleet.order;
    const atMs = this.now();
    useRobots.setState({ allStop: { phase: 'sending', atMs, confirmed: 0, reached: 0, error: null } });
    setCommands(sendingAll('emergency-stop', ids, atMs));
    void this.send('*', 'emergency-stop', undefined, ids).then(({ statuses, error }) => {
      const results = Object.values(statuses);
      const confirmed = results.filter((r) => r.phase === 'accepted').length;
      useRobots.setState({
        allStop: {
          phase: error === null && confirmed === results.length ? 'done' : 'failed',
          atMs: this.now(),
          confirmed,
          reached: results.length,
          error: error ?? (confirmed < results.length ? `${results.length - confirmed} of ${results.length} robots did not confirm` : null),
        },
      });
    });
  }

  stop(robotId: string): void {
    setCommands(sendingAll('emergency-stop', [robotId], this.now()));
    void this.send(robotId, 'emergency-stop', undefined, [robotId]);
  }

  /** Only after the operator confirmed (the release prompt). '*' releases every robot. */
  release(target: string): void {
    const ids = target === '*' ? useRobots.getState().fleet.order : [target];
    useRobots.setState({ releasePrompt: null, ...(target === '*' ? { allStop: null } : {}) });
    setCommands(sendingAll('release', ids, this.now()));
    void this.send(target, 'release', undefined, ids);
  }

  goal(robotId: string, goal: RobotPose): void {
    useRobots.setState((s) => ({ sentGoals: { ...s.sentGoals, [robotId]: goal } }));
    setCommands(sendingAll('goal', [robotId], this.now()));
    void this.send(robotId, 'goal', goal, [robotId]);
  }

  dock(robotId: string): void {
    setCommands(sendingAll('dock', [robotId], this.now()));
    void this.send(robotId, 'dock', undefined, [robotId]);
  }

  cancel(robotId: string): void {
    setCommands(sendingAll('cancel', [robotId], this.now()));
    void this.send(robotId, 'cancel', undefined, [robotId]);
  }

  /** Offers "Send robot" for a bag this officer just flagged for search. */
  offerDispatch(bagId: string, bagTag: string): void {
    useRobots.setState({ dispatch: { bagId, bagTag, phase: 'offered', missionId: null, error: null } });
  }

  /** Asks the hub for a robot to carry the bag to the search station (the hub picks one unless robotId is given). */
  async dispatch(bagId: string, bagTag: string, robotId?: string): Promise<void> {
    useRobots.setState({ dispatch: { bagId, bagTag, phase: 'sending', missionId: null, error: null } });
    const fail = (error: string) => useRobots.setState((s) => (s.dispatch?.bagId === bagId ? { dispatch: { bagId, bagTag, phase: 'failed', missionId: null, error } } : s));
    try {
      const raw = await new Promise<unknown>((resolve, reject) => {
        this.socket.timeout(DISPATCH_ACK_TIMEOUT_MS).emit('robot:dispatch', robotId ? { bagId, robotId } : { bagId }, (error, reply) => (error ? reject(error) : resolve(reply)));
      });
      const reply = RobotDispatchReply.safeParse(raw);
      if (!reply.success) return fail(`the hub sent an unreadable reply (${z.prettifyError(reply.error).split('\n')[0] ?? ''})`);
      if (!reply.data.ok) return fail(reply.data.error.message);
      receiveMission(reply.data.mission);
      useRobots.setState((s) => (s.dispatch?.bagId === bagId ? { dispatch: { bagId, bagTag, phase: 'sent', missionId: reply.data.ok ? reply.data.mission.missionId : null, error: null } } : s));
    } catch {
      fail('the hub did not answer');
    }
  }

  async cancelMission(missionId: string): Promise<void> {
    try {
      const raw = await new Promise<unknown>((resolve, reject) => {
        this.socket.timeout(DISPATCH_ACK_TIMEOUT_MS).emit('robot:mission-cancel', { missionId }, (error, reply) => (error ? reject(error) : resolve(reply)));
      });
      const parsed = z.object({ ok: z.boolean(), error: z.object({ message: z.string() }).optional() }).safeParse(raw);
      if (parsed.success && !parsed.data.ok) useRobots.setState({ notice: `Could not cancel the mission: ${parsed.data.error?.message ?? 'refused'}` });
    } catch {
      useRobots.setState({ notice: 'Could not cancel the mission: the hub did not answer' });
    }
  }

  private async send(target: string, command: RobotCommandKind, goal: RobotPose | undefined, robotIds: readonly string[]) {
    const sentAt = useRobots.getState().commands;
    let outcome: ReturnType<typeof statusesFromReply>;
    if (!this.socket.connected) {
      // socket.io would hold the command and send it on reconnect, perhaps minutes later: never for robots.
      outcome = failAll(command, robotIds, 'this console is offline', this.now());
    } else {
      try {
        const raw = await new Promise<unknown>((resolve, reject) => {
          const payload = goal ? { robotId: target, command, goal } : { robotId: target, command };
          this.socket.timeout(COMMAND_ACK_TIMEOUT_MS).emit('robot:command', payload, (error, reply) => (error ? reject(error) : resolve(reply)));
        });
        outcome = statusesFromReply(command, robotIds, raw, this.now());
      } catch {
        outcome = failAll(command, robotIds, 'the hub did not answer', this.now());
      }
    }
    // A command sent to the same robot since this one keeps its own status.
    useRobots.setState((s) => {
      const commands = { ...s.commands };
      for (const [id, status] of Object.entries(outcome.statuses)) {
        const held = commands[id];
        if (!held || held === sentAt[id]) commands[id] = status;
      }
      return { commands };
    });
    return outcome;
  }
}
