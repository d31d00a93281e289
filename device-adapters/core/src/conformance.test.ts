import type { ScanSubmitInput } from '@clearway/protocol';
import type { ScannerAdapter, ScannerCapabilities, Sink } from './adapter.ts';
import { describeScannerConformance } from './conformance.ts';

/** The smallest adapter that keeps the contract: proves the suite passes a well-behaved scanner. */
class TinyScanner implements ScannerAdapter {
  readonly id = 'tiny-scanner';
  readonly kind = 'scanner';
  readonly capabilities: ScannerCapabilities = {
    lanes: ['lane-1'],
    views: ['top'],
    encoding: 'dual-energy-u16le',
    bagsPerMinutePerLane: null,
    simulated: true,
  };
  private started = false;
  private closed = false;
  private stopped: () => void = () => {};
  private readonly closing = new Promise<void>((resolve) => (this.stopped = resolve));

  async start(sink: Sink<ScanSubmitInput>): Promise<void> {
    if (this.started) throw new Error('already started');
    this.started = true;
    for (let n = 0; !this.closed; n++) {
      const high = new Uint16Array(8 * 4).fill(1000 + n);
      const low = new Uint16Array(8 * 4).fill(1500 + n);
      const delivered = sink({
        scanId: crypto.randomUUID(),
        lane: 'lane-1',
        flight: 'CA981',
        bagTag: `TINY-${n}`,
        scannedAt: new Date().toISOString(),
        views: [{ view: 'top', width: 8, height: 4, encoding: 'dual-energy-u16le', low: new Uint8Array(low.buffer), high: new Uint8Array(high.buffer) }],
      });
      delivered.catch(() => {});
      await Promise.race([delivered, this.closing]);
      // Yield to the event loop: a producer that only awaits resolved promises starves every socket.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopped();
  }
}

describeScannerConformance('TinyScanner', () => new TinyScanner());
