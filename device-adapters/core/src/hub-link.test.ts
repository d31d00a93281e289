import type { ScanSubmitInput } from '@clearway/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { HubLinkClosedError, HubRefusedError, ScanRejectedError } from './errors.ts';
import { HubDeviceLink, type HubDeviceLinkOptions, type HubLinkEvent } from './hub-link.ts';
import { GOOD_TOKEN, startFakeHub, type FakeHub } from './testing/fake-hub.ts';

function scan(n = 0): ScanSubmitInput {
  const width = 4;
  const height = 3;
  const low = new Uint8Array(width * height * 2).fill(n + 1);
  const high = new Uint8Array(width * height * 2).fill(n + 2);
  return {
    scanId: crypto.randomUUID(),
    lane: 'lane-1',
    flight: 'CA981',
    bagTag: `099900000${n}`,
    scannedAt: new Date().toISOString(),
    views: [{ view: 'top', width, height, encoding: 'dual-energy-u16le', low, high }],
  };
}

let hub: FakeHub | undefined;
const links: HubDeviceLink[] = [];

function link(options: Partial<HubDeviceLinkOptions> = {}): HubDeviceLink {
  if (!hub) throw new Error('start the hub first');
  const l = new HubDeviceLink({
    hubUrl: hub.url,
    deviceId: 'scanner-test',
    token: GOOD_TOKEN,
    // Generous: a loaded CI box must not turn a slow acknowledgement into a resend.
    ackTimeoutMs: 2_000,
    resendBackoff: { initialMs: 20, maxMs: 100, jitter: 0 },
    reconnectDelayMs: 20,
    reconnectDelayMaxMs: 50,
    ...options,
  });
  links.push(l);
  return l;
}

afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.close()));
  await hub?.close();
  hub = undefined;
});

describe('HubDeviceLink', () => {
  it('hands the hub its device credentials and the protocol version, and waits for device:ready', async () => {
    hub = await startFakeHub();
    const ready = await link().connect();
    expect(ready.deviceId).toBe('scanner-test');
    expect(hub.handshakes).toEqual([{ protocolVersion: 1, deviceId: 'scanner-test', token: GOOD_TOKEN }]);
  });

  it('submits a scan with its images as binary attachments and resolves with the reply', async () => {
    hub = await startFakeHub();
    const accepted = await link().submitScan(scan());
    expect(accepted).toMatchObject({ ok: true, duplicate: false, attempts: 1 });
    expect(hub.scans).toHaveLength(1);
    for (const image of hub.scans[0]?.images ?? []) expect(Buffer.isBuffer(image)).toBe(true);
  });

  it('resends the same scanId after a dropped acknowledgement', async () => {
    hub = await startFakeHub();
    let seen = 0;
    hub.setHandler(() => (++seen === 1 ? 'drop' : { ok: true, bagId: crypto.randomUUID(), duplicate: true }));
    const events: HubLinkEvent[] = [];
    const s = scan();
    const accepted = await link({ ackTimeoutMs: 400, onEvent: (e) => events.push(e) }).submitScan(s);
    expect(accepted.attempts).toBe(2);
    expect(hub.scans.map((r) => r.scanId)).toEqual([s.scanId, s.scanId]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'resend', scanId: s.scanId, attempt: 2, reason: 'ack-timeout' }));
  });

  it('resends the same scanId after the connection drops, once the hub is back', async () => {
    hub = await startFakeHub();
    let seen = 0;
    hub.setHandler((_s, socket) => {
      // Cut the transport, not the namespace: socket.io then reconnects by itself.
      if (++seen === 1) {
        socket.conn.close();
        return 'drop';
      }
      return { ok: true, bagId: crypto.randomUUID(), duplicate: true };
    });
    const events: HubLinkEvent[] = [];
    const s = scan();
    const accepted = await link({ ackTimeoutMs: 5_000, onEvent: (e) => events.push(e) }).submitScan(s);
    expect(accepted.attempts).toBe(2);
    expect(hub.scans.map((r) => r.scanId)).toEqual([s.scanId, s.scanId]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'resend', reason: 'disconnected' }));
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(2);
  });

  it('reports a bad token and stops trying', async () => {
    hub = await startFakeHub();
    const l = link({ token: 'not-the-token-we-registered' });
    const refused = await l.connect().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HubRefusedError);
    expect(refused).toMatchObject({ code: 'bad-credentials' });
    expect(String(refused)).toMatch(/wrong token/);
    await new Promise((r) => setTimeout(r, 200));
    expect(hub.handshakes).toHaveLength(1);
    await expect(l.submitScan(scan())).rejects.toBeInstanceOf(HubRefusedError);
  });

  it('does not resend a scan the hub calls invalid, and names the field', async () => {
    hub = await startFakeHub();
    hub.setHandler(() => ({ ok: false, error: { code: 'invalid', message: 'views.0.width: too small', field: 'views.0.width' } }));
    const rejected = await link().submitScan(scan()).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(ScanRejectedError);
    expect(rejected).toMatchObject({ code: 'invalid', field: 'views.0.width' });
    await new Promise((r) => setTimeout(r, 150));
    expect(hub.scans).toHaveLength(1);
  });

  it('resends after an internal hub error', async () => {
    hub = await startFakeHub();
    let seen = 0;
    hub.setHandler(() =>
      ++seen === 1 ? { ok: false, error: { code: 'internal', message: 'database busy' } } : { ok: true, bagId: crypto.randomUUID(), duplicate: false },
    );
    expect((await link().submitScan(scan())).attempts).toBe(2);
  });

  it('keeps at most maxInFlight scans unacknowledged', async () => {
    hub = await startFakeHub();
    const held: (() => void)[] = [];
    hub.setHandler(
      () =>
        new Promise((resolve) => {
          held.push(() => resolve({ ok: true, bagId: crypto.randomUUID(), duplicate: false }));
        }),
    );
    const l = link({ maxInFlight: 2, ackTimeoutMs: 10_000 });
    const sent = [0, 1, 2, 3].map((n) => l.sendScan(scan(n)));
    await expect.poll(() => hub?.scans.length).toBe(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(hub.scans).toHaveLength(2);
    expect(l.inFlight).toBe(2);
    held.shift()?.();
    await expect.poll(() => hub?.scans.length).toBe(3);
    expect(l.inFlight).toBe(2);
    const releaser = setInterval(() => held.shift()?.(), 5);
    const acks = await Promise.all((await Promise.all(sent)).map((p) => p.acked)).finally(() => clearInterval(releaser));
    expect(acks).toHaveLength(4);
    expect(l.inFlight).toBe(0);
  });

  it('rejects unacknowledged scans when closed', async () => {
    hub = await startFakeHub();
    hub.setHandler(() => 'drop');
    const l = link({ ackTimeoutMs: 10_000 });
    const pending = l.submitScan(scan());
    await expect.poll(() => hub?.scans.length).toBe(1);
    await l.close();
    await expect(pending).rejects.toBeInstanceOf(HubLinkClosedError);
  });

  it('checks its own credentials before connecting', () => {
    expect(() => new HubDeviceLink({ hubUrl: 'http://127.0.0.1:1', deviceId: 'scanner 1', token: GOOD_TOKEN })).toThrow(/deviceId/);
    expect(() => new HubDeviceLink({ hubUrl: 'http://127.0.0.1:1', deviceId: 'scanner-1', token: 'short' })).toThrow(/token/);
  });
});
