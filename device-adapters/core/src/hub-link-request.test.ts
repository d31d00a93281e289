// HubDeviceLink.request: device requests other than scans, resent until acknowledged.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NAMESPACE, PROTOCOL_VERSION, type FlightUpsertInput } from '@clearway/protocol';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestRejectedError } from './errors.ts';
import { HubDeviceLink } from './hub-link.ts';

const TOKEN = 'token-for-the-test-flight-feed';
const BATCH: FlightUpsertInput = {
  updates: [{ type: 'delay', updateId: crypto.randomUUID(), flight: 'CA981', date: '2025-06-01', at: '2025-06-01T04:00:00Z', estimatedOnBlock: '2025-06-01T06:20:00Z' }],
};
const OK = { ok: true, arrivals: { created: 0, changed: 0, unchanged: 0 }, updates: { applied: 1, duplicate: 0 }, rejected: [] };

let close: () => Promise<void> = async () => {};
afterEach(async () => {
  await close();
});

/** A hub stand-in whose answer to each flight:upsert the test decides: a reply, or silence. */
async function hub(answer: (attempt: number) => unknown | 'drop'): Promise<{ url: string; attempts: unknown[] }> {
  const http = createServer();
  const io = new Server(http);
  const attempts: unknown[] = [];
  io.of(NAMESPACE.device).on('connection', (socket) => {
    socket.emit('device:ready', { deviceId: 'flight-feed-1', kind: 'flight-feed', serverTime: new Date().toISOString(), protocolVersion: PROTOCOL_VERSION });
    socket.on('flight:upsert', (payload: unknown, ack: (r: unknown) => void) => {
      attempts.push(payload);
      const reply = answer(attempts.length);
      if (reply !== 'drop') ack(reply);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  close = async () => { await io.close(); };
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, attempts };
}

describe('HubDeviceLink.request', () => {
  it('resends the same payload after a lost acknowledgement and an internal error, then resolves with the reply', async () => {
    const server = await hub((n) => (n === 1 ? 'drop' : n === 2 ? { ok: false, error: { code: 'internal', message: 'disk full' } } : OK));
    const link = new HubDeviceLink({ hubUrl: server.url, deviceId: 'flight-feed-1', token: TOKEN, ackTimeoutMs: 200, resendBackoff: { initialMs: 10, maxMs: 20 } });
    try {
      await expect(link.request('flight:upsert', BATCH)).resolves.toEqual(OK);
      expect(server.attempts).toHaveLength(3);
      expect(server.attempts.every((a) => JSON.stringify(a) === JSON.stringify(BATCH))).toBe(true);
    } finally {
      await link.close();
    }
  });

  it('rejects with RequestRejectedError for a refusal that a resend cannot fix', async () => {
    const server = await hub(() => ({ ok: false, error: { code: 'invalid', message: 'updates.0.flight: an IATA flight number', field: 'updates.0.flight' } }));
    const link = new HubDeviceLink({ hubUrl: server.url, deviceId: 'flight-feed-1', token: TOKEN });
    try {
      const error = await link.request('flight:upsert', BATCH).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestRejectedError);
      expect(error).toMatchObject({ event: 'flight:upsert', code: 'invalid', field: 'updates.0.flight' });
      expect(server.attempts).toHaveLength(1);
    } finally {
      await link.close();
    }
  });
});
