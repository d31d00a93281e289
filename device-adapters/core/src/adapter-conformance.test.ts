import type { FlightUpsertInput } from '@clearway/protocol';
import type { DeviceAdapter, Sink } from './adapter.ts';
import { describeAdapterConformance } from './adapter-conformance.ts';

/** The smallest non-scanner adapter that keeps the contract: proves the generic suite passes one. */
class TinyFlightFeed implements DeviceAdapter<FlightUpsertInput, { simulated: boolean }> {
  readonly id = 'tiny-feed';
  readonly kind = 'flight-feed';
  readonly capabilities = { simulated: true };
  private started = false;
  private closed = false;
  private stopped: () => void = () => {};
  private readonly closing = new Promise<void>((resolve) => (this.stopped = resolve));

  async start(sink: Sink<FlightUpsertInput>): Promise<void> {
    if (this.started) throw new Error('already started');
    this.started = true;
    for (let n = 0; !this.closed; n++) {
      const delivered = sink({
        updates: [{ type: 'delay', updateId: crypto.randomUUID(), flight: 'CA981', date: '2025-06-01', at: new Date().toISOString(), estimatedOnBlock: new Date(Date.UTC(2025, 5, 1, 6, n)).toISOString() }],
      });
      delivered.catch(() => {});
      await Promise.race([delivered, this.closing]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopped();
  }
}

describeAdapterConformance('TinyFlightFeed', () => new TinyFlightFeed(), { request: 'flight:upsert' });
