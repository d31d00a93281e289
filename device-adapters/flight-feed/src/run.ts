import { HubDeviceLink, HubLinkClosedError, type HubLinkEvent } from '@clearway/device-core';
import { FlightArrival, type FlightManifestInput, type FlightRejection } from '@clearway/protocol';
import type { FlightFeedAdapter } from './feed.ts';

export interface FlightFeedRunOptions {
  /** Hub base URL, e.g. http://localhost:4300. */
  hubUrl: string;
  token: string;
  /** The feed; its id is the device ID the hub knows. */
  feed: FlightFeedAdapter;
  ackTimeoutMs?: number;
  /** One short line per batch stored and per connection event. Default: silent. */
  log?: (line: string) => void;
  /** Abort to stop the feed; the batch on its way gets `drainMs` to be acknowledged. */
  signal?: AbortSignal;
  /** Default 5 s. */
  drainMs?: number;
}

export interface FlightFeedSummary {
  batches: number;
  arrivals: { created: number; changed: number; unchanged: number };
  updates: { applied: number; duplicate: number };
  /** Items the hub refused (the rest of their batch was stored). */
  rejected: (FlightRejection & { flight?: string })[];
  /** Passenger manifests stored, and their passengers. */
  manifests: { flights: number; passengers: number };
  stoppedEarly: boolean;
}

/**
 * A flight feed wired to a hub: each message is one `flight:upsert`, sent once the previous one
 * is stored (the feed waits meanwhile). Resolves when the feed has sent everything (or was
 * stopped by `signal`); rejects with HubRefusedError when the hub refuses the device and with
 * RequestRejectedError when it refuses a whole batch.
 */
export async function runFlightFeed(options: FlightFeedRunOptions): Promise<FlightFeedSummary> {
  const log = options.log ?? (() => {});
  const { feed, signal } = options;
  let outage = false;
  const link = new HubDeviceLink({
    hubUrl: options.hubUrl,
    deviceId: feed.id,
    token: options.token,
    ...(options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: options.ackTimeoutMs }),
    onEvent: (event) => {
      if (event.type === 'unreachable' && outage) return;
      outage = event.type === 'unreachable' || (outage && event.type !== 'ready');
      const line = describeEvent(event, options.hubUrl);
      if (line) log(line);
    },
  });
  const summary: FlightFeedSummary = {
    batches: 0, arrivals: { created: 0, changed: 0, unchanged: 0 }, updates: { applied: 0, duplicate: 0 }, rejected: [], manifests: { flights: 0, passengers: 0 }, stoppedEarly: false,
  };
  let connected = false;
  const onAbort = (): void => {
    summary.stoppedEarly = true;
    void feed.close();
    if (!connected) void link.close();
  };
  if (signal?.aborted) return { ...summary, stoppedEarly: true };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      await link.connect();
      connected = true;
    } catch (error) {
      if (signal?.aborted && error instanceof HubLinkClosedError) return summary;
      throw error;
    }
    let inFlight: Promise<unknown> = Promise.resolve();
    await feed.start(async (batch) => {
      const sent = link.request('flight:upsert', batch);
      inFlight = sent.catch(() => {});
      const reply = await sent;
      summary.batches++;
      for (const k of ['created', 'changed', 'unchanged'] as const) summary.arrivals[k] += reply.arrivals[k];
      summary.updates.applied += reply.updates.applied;
      summary.updates.duplicate += reply.updates.duplicate;
      for (const r of reply.rejected) {
        const item = r.kind === 'arrival' ? batch.arrivals?.[r.index] : batch.updates?.[r.index];
        summary.rejected.push(item ? { ...r, flight: item.flight } : r);
        log(`hub refused ${r.kind} ${item ? `${item.flight} ` : ''}#${r.index}: ${r.reason}`);
      }
      const a = reply.arrivals;
      const parts = [
        a.created + a.changed + a.unchanged > 0 ? `${a.created} new, ${a.changed} changed, ${a.unchanged} unchanged arrivals` : '',
        reply.updates.applied + reply.updates.duplicate > 0 ? `${reply.updates.applied} updates${reply.updates.duplicate ? ` (${reply.updates.duplicate} already stored)` : ''}` : '',
      ].filter(Boolean);
      log(`stored ${parts.join(', ')}${describeUpdates(batch.updates)}`);
      // Each flight's manifest follows the batch that brought its arrival.
      for (const arrival of feed.manifestOf ? batch.arrivals ?? [] : []) {
        const manifest = feed.manifestOf?.(FlightArrival.parse(arrival));
        if (!manifest || signal?.aborted) continue;
        const stored = await link.request('flight:manifest', manifest);
        summary.manifests.flights++;
        summary.manifests.passengers += stored.passengers;
      }
    }).catch(async (error: unknown) => {
      if (signal?.aborted && error instanceof HubLinkClosedError) return;
      throw error;
    });
    if (signal?.aborted) await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, options.drainMs ?? 5_000).unref())]);
    return summary;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await feed.close();
    await link.close();
  }
}

export interface ManifestSendOptions {
  hubUrl: string;
  token: string;
  /** Device ID registered at the hub (kind flight-feed). */
  deviceId: string;
  manifests: readonly FlightManifestInput[];
  ackTimeoutMs?: number;
  log?: (line: string) => void;
}

/** Sends manifests (a manifest file's) one by one as `flight:manifest`; resolves with what the hub stored. */
export async function sendManifests(options: ManifestSendOptions): Promise<{ flights: number; passengers: number; replaced: number }> {
  const log = options.log ?? (() => {});
  const link = new HubDeviceLink({
    hubUrl: options.hubUrl, deviceId: options.deviceId, token: options.token,
    ...(options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: options.ackTimeoutMs }),
    onEvent: (event) => {
      const line = describeEvent(event, options.hubUrl);
      if (line) log(line);
    },
  });
  const total = { flights: 0, passengers: 0, replaced: 0 };
  try {
    await link.connect();
    for (const m of options.manifests) {
      const reply = await link.request('flight:manifest', m);
      total.flights++;
      total.passengers += reply.passengers;
      total.replaced += reply.replaced;
      log(`stored the manifest of ${reply.flightId}: ${reply.passengers} passengers, ${reply.bags} bags${reply.replaced ? ` (replaced ${reply.replaced})` : ''}${reply.knownFlight ? '' : '; flight not in the feed yet'}`);
    }
    return total;
  } finally {
    await link.close();
  }
}

function describeUpdates(updates: { type: string; flight: string }[] | undefined): string {
  if (!updates || updates.length === 0 || updates.length > 3) return '';
  return `: ${updates.map((u) => `${u.flight} ${u.type}`).join(', ')}`;
}

function describeEvent(event: HubLinkEvent, hubUrl: string): string | null {
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
      return null; // scans only
    case 'protocol-error':
      return `hub reported a protocol error on ${event.error.event}: ${event.error.error.message}`;
  }
}
