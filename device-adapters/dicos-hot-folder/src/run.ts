import { resolve } from 'node:path';
import { HubDeviceLink, HubLinkClosedError, ScanRejectedError, type HubLinkEvent } from '@clearway/device-core';
import type { DecisionStored } from '@clearway/protocol';
import { DicosHotFolder, type DicosHotFolderOptions } from './adapter.ts';
import { writeOperatorTdrFile } from './operator-tdr.ts';

export interface HotFolderRunOptions extends Omit<DicosHotFolderOptions, 'id' | 'log'> {
  /** Hub base URL, e.g. http://localhost:4300. */
  hubUrl: string;
  deviceId: string;
  token: string;
  /** Where operator TDRs are written, one file per decision: `<TDR SOP Instance UID>.dcm`. */
  outDir: string;
  ackTimeoutMs?: number;
  /** One short line per file and per connection event. Default: silent. */
  log?: (line: string) => void;
  /** Abort to stop: the folder is no longer watched, the connection is closed. */
  signal?: AbortSignal;
  /** Called once the hub has accepted the device (for tests and readiness probes). */
  onReady?: () => void;
}

export interface HotFolderSummary {
  scansAcked: number;
  duplicates: number;
  refused: number;
  operatorTdrsWritten: number;
}

function describe(event: HubLinkEvent, hubUrl: string): string | null {
  switch (event.type) {
    case 'ready': return `connected to ${hubUrl} as ${event.ready.deviceId} (protocol ${event.ready.protocolVersion})`;
    case 'disconnected': return `lost the hub (${event.reason}); reconnecting`;
    case 'unreachable': return `hub unreachable at ${hubUrl} (${event.message}); retrying`;
    case 'refused': return null;
    case 'resend': return `resending scan ${event.scanId} in ${event.delayMs} ms (${event.reason}, attempt ${event.attempt})`;
    case 'protocol-error': return `hub reported a protocol error on ${event.error.event}: ${event.error.error.message}`;
  }
}

/**
 * The hot folder wired to a hub: DicosHotFolder → HubDeviceLink, one scan at a time (a file moves
 * to processed/ only once the hub has stored its scan), and the hub's `decision:stored` → an
 * operator TDR in `outDir`, acknowledged once the file is on disk. Runs until `signal` aborts;
 * rejects with HubRefusedError when the hub refuses the device.
 */
export async function runDicosHotFolder(options: HotFolderRunOptions): Promise<HotFolderSummary> {
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir);
  const summary: HotFolderSummary = { scansAcked: 0, duplicates: 0, refused: 0, operatorTdrsWritten: 0 };
  let outage = false;
  const writing = new Set<Promise<void>>();
  const onDecisionStored = (decision: DecisionStored): Promise<void> => {
    // Tracked so that a shutdown lets the file and its acknowledgement go out first.
    const job = writeDecision(decision);
    writing.add(job);
    const done = () => writing.delete(job);
    job.then(done, done);
    return job;
  };
  const writeDecision = async (decision: DecisionStored): Promise<void> => {
    try {
      const outcome = await writeOperatorTdrFile(outDir, decision);
      if (outcome.status === 'written') {
        summary.operatorTdrsWritten++;
        log(`operator TDR ${outcome.path} (${decision.verdict} by ${decision.officer.id}, bag ${decision.bagTag})`);
      } else if (outcome.status === 'exists') {
        log(`operator TDR ${outcome.path} already written (decision ${decision.decisionId} sent again)`);
      } else {
        log(`decision ${decision.decisionId} on bag ${decision.bagTag} has no DICOS source; no operator TDR written`);
      }
    } catch (error) {
      // A value no TDR can hold would fail on every resend: report it and let the hub move on.
      if (error instanceof RangeError) {
        log(`cannot write an operator TDR for decision ${decision.decisionId}: ${error.message}`);
        return;
      }
      throw error; // e.g. disk full: not acknowledged, the hub resends on reconnect
    }
  };
  const link = new HubDeviceLink({
    hubUrl: options.hubUrl,
    deviceId: options.deviceId,
    token: options.token,
    maxInFlight: 1,
    ...(options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: options.ackTimeoutMs }),
    onDecisionStored,
    onEvent: (event) => {
      if (event.type === 'unreachable' && outage) return;
      outage = event.type === 'unreachable' || (outage && event.type !== 'ready');
      const line = describe(event, options.hubUrl);
      if (line) log(line);
    },
  });
  const { hubUrl: _h, deviceId, token: _t, outDir: _o, ackTimeoutMs: _a, log: _l, signal, onReady: _r, ...folder } = options;
  const adapter = new DicosHotFolder({ ...folder, id: deviceId, log });
  let connected = false;
  const onAbort = (): void => {
    void adapter.close();
    if (!connected) void link.close(); // still waiting for the hub: stop waiting
  };
  if (signal?.aborted) return summary;
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      await link.connect();
      connected = true;
    } catch (error) {
      if (signal?.aborted && error instanceof HubLinkClosedError) return summary;
      throw error;
    }
    options.onReady?.();
    log(`watching ${adapter.inDir}; operator TDRs go to ${outDir}`);
    try {
      await adapter.start(async (scan) => {
        try {
          const ack = await link.submitScan(scan);
          summary.scansAcked++;
          if (ack.duplicate) summary.duplicates++;
        } catch (error) {
          if (error instanceof ScanRejectedError) {
            summary.refused++;
            adapter.refuse(scan.scanId, `hub-${error.code}`, error.message);
            return;
          }
          throw error;
        }
      });
    } catch (error) {
      if (signal?.aborted && error instanceof HubLinkClosedError) return summary;
      throw error;
    }
    return summary;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await adapter.close();
    // Operator TDRs being written get a moment to land and be acknowledged before the link closes.
    const settled = Promise.allSettled([...writing]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    await link.close();
  }
}
