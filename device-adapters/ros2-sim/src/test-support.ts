// Test helpers: the simulator is CommonJS and must be the very module instance ros2-web-bridge
// require()s, so tests load it with Node's require rather than through the test runner's loader.
import { createRequire } from 'node:module';
import type * as Rcl from '@clearway/rclnodejs-sim';
import type * as BridgeModule from '@clearway/rclnodejs-sim/bridge';
import type * as FleetModule from '@clearway/rclnodejs-sim/fleet';
import type * as Interfaces from '@clearway/rclnodejs-sim/interfaces';

const load = createRequire(import.meta.url);

export const rcl = load('./index.cjs') as typeof Rcl;
export const interfaces = load('./interfaces.cjs') as typeof Interfaces;
export const fleetModule = load('./fleet.cjs') as typeof FleetModule;
export const bridgeModule = load('./bridge.cjs') as typeof BridgeModule;

/** The part of a `ws` client socket the tests use (ws's types belong to @clearway/ros2-adapter). */
export interface RawSocket {
  on(event: 'open' | 'close', listener: () => void): this;
  on(event: 'message', listener: (data: unknown) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  send(data: string): void;
  close(): void;
  terminate(): void;
  readonly readyState: number;
}

/** The bridge's own ws (7.x), resolved next to ros2-web-bridge, for raw protocol clients. */
export function bridgeWebSocket(): new (url: string) => RawSocket {
  return bridgeModule.locateBridge().require('ws') as new (url: string) => RawSocket;
}

/** Lets queued deliveries run: a few turns of the event loop. */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

export async function ensureInit(): Promise<void> {
  if (rcl.isShutdown()) await rcl.init();
}
