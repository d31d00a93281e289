import { HubDeviceLink, HubLinkClosedError, type HubLinkEvent, type PendingScan } from '@clearway/device-core';
import { SimulatedScanner, type SimulatedScannerOptions } from './scanner.ts';

export interface ScannerSimulatorOptions extends Omit<SimulatedScannerOptions, 'id'> {
  /** Hub base URL, e.g. http://localhost:4300. */
  hubUrl: string;
  deviceId: string;
  token: string;
  /** Scans sent but not yet acknowledged. Default 4. */
  maxInFlight?: number;
  ackTimeoutMs?: number;
  /** One short line per bag acknowledged, and one per connection event. Default: silent. */
  log?: (line: string) => void;
  /** Abort to stop the belts; scans already sent get `drainMs` to be acknowledged. */
  signal?: AbortSignal;
  /** Default 5 s. */
  drainMs?: number;
}

export interface ScannerSimulatorSummary {
  bagsAcked: number;
  /** Acknowledged as already stored: resends after a lost acknowledgement. */
  duplicates: number;
  /** From the hub's device:ready to the last acknowledgement. */
  elapsedMs: number;
  bagsPerSecond: number;
  /** True when stopped by the signal before `count` bags. */
  stoppedEarly: boolean;
}

/**
 * The simulator wired to a hub: SimulatedScanner → HubDeviceLink. Resolves once `count` bags are
 * acknowledged (or, when stopped by `signal`, once those sent are); rejects with HubRefusedError
 * when the hub refuses the device and with ScanRejectedError when it rejects a scan.
 */
export async function runScannerSimulator(options: ScannerSimulatorOptions): Promise<ScannerSimulatorSummary> {
  const log = options.log ?? (() => {});
  const bagTags = new Map<string, string>();
  // socket.io retries every few seconds while the hub is down: say so once per outage.
  let outage = false;
  const link = new HubDeviceLink({
    hubUrl: options.hubUrl,
    deviceId: options.deviceId,
    token: options.token,
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
    ...(options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: options.ackTimeoutMs }),
    // A simulated scanner has no downstream system to tell: it notes the outcome and
    // acknowledges, so the hub does not keep the report for the next reconnect.
    onDecisionStored: async (decision) => log(`${decision.bagTag} ${decision.verdict} by ${decision.officer.id}`),
    onEvent: (event) => {
      if (event.type === 'unreachable' && outage) return;
      outage = event.type === 'unreachable' || (outage && event.type !== 'ready');
      const line = describeEvent(event, options.hubUrl, bagTags);
      if (line) log(line);
    },
  });
  const { hubUrl: _hubUrl, deviceId, token: _token, maxInFlight: _m, ackTimeoutMs: _a, log: _log, signal, drainMs: _d, ...belt } = options;
  const scanner = new SimulatedScanner({ ...belt, id: deviceId });
  const stopBelts = (): void => void scanner.close();
  let connected = false;
  const onAbort = (): void => {
    stopBelts();
    // Still waiting for the hub: nothing is in flight, stop waiting.
    if (!connected) void link.close();
  };
  if (signal?.aborted) return { bagsAcked: 0, duplicates: 0, elapsedMs: 0, bagsPerSecond: 0, stoppedEarly: true };
  signal?.addEventListener('abort', onAbort, { once: true });

  let failure: unknown = null;
  let acked = 0;
  let duplicates = 0;
  const acks: Promise<void>[] = [];
  try {
    try {
      await link.connect();
      connected = true;
    } catch (error) {
      if (signal?.aborted && error instanceof HubLinkClosedError) return { bagsAcked: 0, duplicates: 0, elapsedMs: 0, bagsPerSecond: 0, stoppedEarly: true };
      throw error;
    }
    const t0 = performance.now();
    let last = t0;
    if (!signal?.aborted) {
      await scanner.start(async (scan) => {
        bagTags.set(scan.scanId, scan.bagTag);
        const pending: PendingScan = await link.sendScan(scan);
        const sentAt = performance.now();
        acks.push(
          pending.acked.then(
            (ack) => {
              acked++;
              if (ack.duplicate) duplicates++;
              last = performance.now();
              bagTags.delete(scan.scanId);
              log(`${scan.bagTag} ${scan.lane} acked in ${Math.round(last - sentAt)} ms${ack.duplicate ? ' (duplicate)' : ''}${ack.attempts > 1 ? ` after ${ack.attempts} attempts` : ''}`);
            },
            (error: unknown) => {
              failure ??= error;
              stopBelts();
            },
          ),
        );
      });
    }
    const settled = Promise.all(acks);
    if (signal?.aborted) {
      // Stopped by hand: give what is on its way a moment, then let it go.
      await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, options.drainMs ?? 5_000).unref())]);
    } else {
      await settled;
    }
    if (failure !== null && !(signal?.aborted && failure instanceof HubLinkClosedError)) throw failure;
    const elapsedMs = last - t0;
    return {
      bagsAcked: acked,
      duplicates,
      elapsedMs,
      bagsPerSecond: elapsedMs > 0 ? (acked * 1000) / elapsedMs : 0,
      stoppedEarly: signal?.aborted === true,
    };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await scanner.close();
    await link.close();
    await Promise.allSettled(acks);
  }
}

function describeEvent(event: HubLinkEvent, hubUrl: string, bagTags: ReadonlyMap<string, string>): string | null {
  switch (event.type) {
    case 'ready':
      return `connected to ${hubUrl} as ${event.ready.deviceId} (protocol ${event.ready.protocolVersion})`;
    case 'disconnected':
      return `lost the hub (${event.reason}); reconnecting`;
    case 'unreachable':
      return `hub unreachable at ${hubUrl} (${event.message}); retrying`;
    case 'refused':
      return null; // the caller reports the error itself
    case 'resend':
      return `resending ${bagTags.get(event.scanId) ?? event.scanId} in ${event.delayMs} ms (${event.reason}, attempt ${event.attempt})`;
    case 'protocol-error':
      return `hub reported a protocol error on ${event.error.event}: ${event.error.error.message}`;
  }
}
