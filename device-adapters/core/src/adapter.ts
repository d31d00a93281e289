import type { DeviceKind, ScanSubmitInput, ViewEncoding, ViewName, deviceRequests } from '@clearway/protocol';

/**
 * Receives one message from a device. The adapter produces nothing more until the returned
 * promise settles: that is the back-pressure (a slow hub slows the belt, it does not fill memory).
 */
export type Sink<M> = (message: M) => Promise<void>;

/**
 * Every device that feeds the hub (scanners, a DICOS hot folder, the ROS 2 bridge, a flight feed)
 * sits behind this interface, so that a real device replaces its simulator without a change elsewhere.
 */
export interface DeviceAdapter<M, C> {
  /** The device ID registered at the hub (`pnpm clearway devices add`). */
  readonly id: string;
  readonly kind: DeviceKind;
  /** What the device can do, stated up front rather than discovered from its messages. */
  readonly capabilities: C;
  /**
   * Starts production into `sink`, one message at a time. Resolves when production ends: the
   * source ran out (a fixed bag count, a drained folder) or close() was called. Rejects when the
   * sink rejects (production stops at once) or the device fails. May be called once.
   * Yields to the event loop between messages, so the hub link's socket keeps running.
   */
  start(sink: Sink<M>): Promise<void>;
  /**
   * Stops production and resolves once nothing more will reach the sink, without waiting for a
   * sink call still outstanding. Safe to call more than once, and before start().
   */
  close(): Promise<void>;
}

/** Device kinds the hub accepts `scan:submit` from, taken from the wire contract. */
export type ScanDeviceKind = (typeof deviceRequests)['scan:submit']['kinds'][number];

export interface ScannerCapabilities {
  /** Lanes whose bags this device reports, as painted at the checkpoint. */
  readonly lanes: readonly string[];
  /** Views each scan carries, in order (top only, or top and side). */
  readonly views: readonly ViewName[];
  /** The encoding of every view this scanner sends. */
  readonly encoding: ViewEncoding;
  /** Belt pace in bags per minute per lane; null when the device sets no pace of its own. */
  readonly bagsPerMinutePerLane: number | null;
  /** True for a simulator: consoles and reports can say so. */
  readonly simulated: boolean;
}

/** An X-ray scanner, or anything else that turns bags into `scan:submit` messages. */
export interface ScannerAdapter extends DeviceAdapter<ScanSubmitInput, ScannerCapabilities> {
  readonly kind: ScanDeviceKind;
}
