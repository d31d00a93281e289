import { DeviceKind, Id, deviceRequests, type DeviceRequestName } from '@clearway/protocol';
import { describe, expect, it } from 'vitest';
import type { DeviceAdapter } from './adapter.ts';

export interface AdapterConformanceOptions<M> {
  /**
   * The device request each message becomes (`flight:upsert`, …): every message must parse with
   * its payload schema, and the adapter's kind must be allowed to send it.
   */
  request: Exclude<DeviceRequestName, 'scan:submit'>;
  /** Further checks on each message (throw or fail an expect); e.g. against the capabilities. */
  check?: (message: M, adapter: DeviceAdapter<M, unknown>) => void;
  /** Messages to collect per test; the adapter must be able to produce at least this many. Default 4. */
  messages?: number;
  /** Per-test limit. Default 30 s. */
  timeoutMs?: number;
  /** How long to watch for stray production after close() or while the sink holds a message. Default 150 ms. */
  quietMs?: number;
}

/**
 * The part of the contract every device adapter keeps, whatever it sends (the scanner suite in
 * conformance.ts adds what is particular to scans). `makeAdapter` returns a fresh adapter per test
 * that produces messages promptly (simulators at full speed, importers pointed at a file).
 */
export function describeAdapterConformance<M>(
  name: string,
  makeAdapter: () => DeviceAdapter<M, unknown> | Promise<DeviceAdapter<M, unknown>>,
  options: AdapterConformanceOptions<M>,
): void {
  const count = options.messages ?? 4;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const quietMs = options.quietMs ?? 150;
  const spec = deviceRequests[options.request];

  describe(`${name}: device adapter conformance (${options.request})`, () => {
    it('declares its id, a kind allowed to send its messages, and its capabilities', async () => {
      const adapter = await makeAdapter();
      try {
        expect(Id.safeParse(adapter.id).success, `id ${JSON.stringify(adapter.id)}`).toBe(true);
        expect(DeviceKind.options).toContain(adapter.kind);
        expect(spec.kinds as readonly string[]).toContain(adapter.kind);
        expect(typeof adapter.capabilities).toBe('object');
        expect(adapter.capabilities).not.toBeNull();
      } finally {
        await adapter.close();
      }
    }, timeoutMs);

    it(`produces messages that parse as ${options.request}`, async () => {
      const adapter = await makeAdapter();
      const messages = await collect(adapter, count);
      for (const message of messages) {
        const parsed = spec.payload.safeParse(message);
        expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
        options.check?.(message, adapter);
      }
    }, timeoutMs);

    it('lets the event loop run between messages, even when the sink answers at once', async () => {
      const adapter = await makeAdapter();
      let turned = false;
      setImmediate(() => (turned = true));
      let calls = 0;
      const stopped = adapter.start(async () => {
        calls++;
        if (calls >= 3 && !turned) throw new Error('the adapter produced 3 messages without yielding to the event loop');
      });
      try {
        await waitFor(() => calls >= 3, timeoutMs - 1_000, () => `only ${calls} messages arrived`);
      } finally {
        await adapter.close();
        await stopped.catch(() => {});
      }
      expect(turned).toBe(true);
    }, timeoutMs);

    it('never calls the sink again before the previous call has settled', async () => {
      const adapter = await makeAdapter();
      let outstanding = 0;
      let most = 0;
      let calls = 0;
      const stopped = adapter.start(async () => {
        outstanding++;
        calls++;
        most = Math.max(most, outstanding);
        await delay(5);
        outstanding--;
      });
      try {
        await waitFor(() => calls >= count, timeoutMs - 1_000, () => `only ${calls} of ${count} messages arrived`);
      } finally {
        await adapter.close();
        await stopped;
      }
      expect(most).toBe(1);
    }, timeoutMs);

    it('produces nothing while the sink holds a message, and close() does not wait for that sink call', async () => {
      const adapter = await makeAdapter();
      let calls = 0;
      const stopped = adapter.start(() => {
        calls++;
        return new Promise<void>(() => {});
      });
      await waitFor(() => calls >= 1, timeoutMs - 1_000, () => 'no message arrived');
      await delay(quietMs);
      expect(calls).toBe(1);
      await adapter.close();
      await stopped;
    }, timeoutMs);

    it('close() stops production: start() resolves and nothing reaches the sink afterwards', async () => {
      const adapter = await makeAdapter();
      let calls = 0;
      const stopped = adapter.start(async () => {
        calls++;
      });
      await waitFor(() => calls >= 2, timeoutMs - 1_000, () => `only ${calls} messages arrived`);
      await adapter.close();
      const atClose = calls;
      await stopped;
      await delay(quietMs);
      expect(calls).toBe(atClose);
      await adapter.close();
    }, timeoutMs);

    it('close() before start() and twice in a row resolves', async () => {
      const adapter = await makeAdapter();
      await adapter.close();
      await adapter.close();
    }, timeoutMs);

    it('stops when the sink fails, and start() rejects with that failure', async () => {
      const adapter = await makeAdapter();
      let calls = 0;
      const failure = new Error('hub link gone');
      const stopped = adapter.start(async () => {
        calls++;
        if (calls === 2) throw failure;
      });
      try {
        await expect(stopped).rejects.toBe(failure);
        await delay(quietMs);
        expect(calls).toBe(2);
      } finally {
        await adapter.close();
      }
    }, timeoutMs);

    it('refuses a second start()', async () => {
      const adapter = await makeAdapter();
      const first = adapter.start(async () => {});
      try {
        await expect(adapter.start(async () => {})).rejects.toThrow();
      } finally {
        await adapter.close();
        await first;
      }
    }, timeoutMs);

    it('never changes a message after handing it over (the hub link may resend it later)', async () => {
      const adapter = await makeAdapter();
      const first: { message: M; snapshot: string }[] = [];
      let calls = 0;
      const stopped = adapter.start(async (message) => {
        calls++;
        if (first.length < 2) first.push({ message, snapshot: fingerprint(message) });
      });
      try {
        await waitFor(() => calls >= count, timeoutMs - 1_000, () => `only ${calls} of ${count} messages arrived`);
      } finally {
        await adapter.close();
        await stopped;
      }
      for (const { message, snapshot } of first) expect(fingerprint(message)).toBe(snapshot);
    }, timeoutMs);
  });
}

async function collect<M>(adapter: DeviceAdapter<M, unknown>, count: number): Promise<M[]> {
  const messages: M[] = [];
  let enough: () => void = () => {};
  const gotEnough = new Promise<void>((resolve) => (enough = resolve));
  const stopped = adapter.start(async (message) => {
    messages.push(message);
    if (messages.length >= count) enough();
  });
  try {
    await Promise.race([gotEnough, stopped]);
  } finally {
    await adapter.close();
    await stopped;
  }
  expect(messages.length, `the adapter stopped after ${messages.length} of ${count} messages`).toBeGreaterThanOrEqual(count);
  return messages.slice(0, count);
}

/** JSON of the message with binary parts spelled out byte by byte. */
function fingerprint(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return Array.from(value);
    if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value));
    return value;
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(done: () => boolean, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(why());
    await delay(5);
  }
}
