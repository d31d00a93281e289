import type { FleetOptions, SimFleet } from './fleet.cjs';

export interface BridgeOptions {
  /** 0 (default) for a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The bridge's status level (its -l flag). Default 'error'. */
  statusLevel?: 'error' | 'warning' | 'info' | 'none';
}

export interface RunningBridge {
  readonly url: string;
  readonly port: number;
  connectionCount(): number;
  /** Goes silent: sends nothing, holds what clients send until resume(). */
  pause(): void;
  resume(): void;
  /** Closes every client connection; the server stays up. */
  dropConnections(): void;
  close(): Promise<void>;
}

export interface FleetBridge {
  readonly fleet: SimFleet;
  readonly bridge: RunningBridge;
  readonly url: string;
  close(): Promise<void>;
}

export function startBridge(options?: BridgeOptions): Promise<RunningBridge>;
export function startFleetBridge(options?: FleetOptions & BridgeOptions): Promise<FleetBridge>;
export function locateBridge(): { dir: string; index: string; require: NodeJS.Require };
