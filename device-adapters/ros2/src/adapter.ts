import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DeviceAdapter, Sink } from '@clearway/device-core';
import { Id } from '@clearway/protocol';
import type { RobotFleetLink } from './fleet-link.ts';
import type { RobotState } from './robot/robot-state.ts';

export type RobotCommand = 'goal' | 'cancel' | 'dock' | 'emergency-stop' | 'release';

export interface RobotBridgeCapabilities {
  /** The robots this device reports, by ROS namespace. */
  readonly robots: readonly string[];
  /** The bridges they are reached through. */
  readonly endpoints: readonly string[];
  readonly commands: readonly RobotCommand[];
  /** robot-state messages per robot per second, at most. */
  readonly maxStateHz: number;
  readonly simulated: boolean;
}

export interface RobotBridgeAdapterOptions {
  /** The device ID registered at the hub. */
  id: string;
  /** The link the adapter reads from; the adapter owns it and closes it. */
  link: RobotFleetLink;
  endpoints: readonly string[];
  maxStateHz: number;
  simulated?: boolean;
}

/**
 * The robot bridge as a device ('robot-bridge'): forwards every robot's state into a sink, one
 * message at a time. While the sink holds a message, newer states wait, one per robot, latest
 * wins, so a slow hub sees fewer and fresher states instead of a growing queue. `startBatches`
 * does the same with every waiting robot in one message (the hub's `robot:states`; see hub-bridge.ts).
 */
export class RobotBridgeAdapter implements DeviceAdapter<RobotState, RobotBridgeCapabilities> {
  readonly id: string;
  readonly kind = 'robot-bridge' as const;
  readonly capabilities: RobotBridgeCapabilities;
  readonly link: RobotFleetLink;
  private readonly waiting = new Map<string, RobotState>();
  /** Waiting states that a newer one displaced although their link state differed (batches only). */
  private kept: RobotState[] = [];
  private batches = false;
  private started = false;
  private closed = false;
  private wake: () => void = () => {};
  private stopListening: () => void = () => {};
  private markClosed: () => void = () => {};
  private readonly closing = new Promise<void>((resolve) => (this.markClosed = resolve));

  constructor(options: RobotBridgeAdapterOptions) {
    if (!Id.safeParse(options.id).success) throw new RangeError(`device id ${JSON.stringify(options.id)}: letters, digits, dot, dash and underscore only`);
    this.id = options.id;
    this.link = options.link;
    this.capabilities = Object.freeze({
      robots: Object.freeze([...options.link.robotIds]),
      endpoints: Object.freeze([...options.endpoints]),
      commands: Object.freeze(['goal', 'cancel', 'dock', 'emergency-stop', 'release'] as const),
      maxStateHz: options.maxStateHz,
      simulated: options.simulated ?? false,
    });
  }

  async start(sink: Sink<RobotState>): Promise<void> {
    return this.run(() => {
      const next = this.takeNext();
      return next ? () => sink(next) : null;
    });
  }

  /** Like start(), but each sink call takes every robot's newest waiting state at once. */
  async startBatches(sink: Sink<RobotState[]>): Promise<void> {
    this.batches = true;
    return this.run(() => {
      if (this.waiting.size === 0 && this.kept.length === 0) return null;
      // A robot that went stale and then disconnected while the hub held the last batch shows both.
      const batch = [...this.kept, ...this.waiting.values()];
      this.kept = [];
      this.waiting.clear();
      return () => sink(batch);
    });
  }

  private async run(take: () => (() => Promise<void>) | null): Promise<void> {
    if (this.started) throw new Error('start() may be called once');
    this.started = true;
    if (this.closed) return;
    this.stopListening = this.link.on('robot-state', (state) => {
      // Re-inserting moves the robot to the back: robots take turns when the sink is slow.
      const displaced = this.waiting.get(state.id);
      if (this.batches && displaced && displaced.link.state !== state.link.state && this.kept.length < 1000) this.kept.push(displaced);
      this.waiting.delete(state.id);
      this.waiting.set(state.id, state);
      this.wake();
    });
    // The link keeps reconnecting by itself; states flow whenever it is connected.
    this.link.connect().catch(() => {});
    try {
      while (!this.closed) {
        const deliver = take();
        if (!deliver) {
          await Promise.race([new Promise<void>((resolve) => (this.wake = resolve)), this.closing]);
          this.wake = () => {};
          continue;
        }
        const delivered = deliver();
        // close() does not wait for a sink call still outstanding.
        delivered.catch(() => {});
        await Promise.race([delivered, this.closing]);
        if (this.closed) break;
        // Let sockets and timers run between messages.
        await nextTurn();
      }
    } catch (error) {
      this.stopListening();
      this.waiting.clear();
      throw error;
    }
  }

  /** Queues every robot's current picture (after the hub connection came back, say). */
  offerAll(): void {
    if (!this.started || this.closed) return;
    for (const id of this.link.robotIds) {
      this.waiting.delete(id);
      this.waiting.set(id, this.link.state(id));
    }
    this.wake();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    this.waiting.clear();
    this.kept = [];
    this.markClosed();
    await this.link.close();
  }

  private takeNext(): RobotState | undefined {
    const first = this.waiting.entries().next();
    if (first.done) return undefined;
    this.waiting.delete(first.value[0]);
    return first.value[1];
  }
}
