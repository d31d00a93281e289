import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '@clearway/protocol';
import { WRONG_CREDENTIALS, connectErrorOf, parsePush, signInMessage } from './pushes.ts';

afterEach(() => vi.restoreAllMocks());

describe('pushes from the hub', () => {
  it('passes a valid push through, parsed', () => {
    const status = { waitingBags: 3, officersAvailable: 1, officersSignedIn: 2, oldestWaitMs: 1500, at: '2030-01-01T10:00:00Z' };
    expect(parsePush('queue:status', status)).toEqual(status);
  });

  it('normalises image bytes from an ArrayBuffer (browser socket.io) to a Uint8Array', () => {
    const assigned = parsePush('bag:assigned', {
      assignmentId: '1f0b8d7e-2c41-4a55-8b1e-2f3c4d5e6f70',
      assignedAt: '2030-01-01T10:00:00Z',
      bag: { bagId: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', bagTag: '0123456789', lane: 'lane-3', flight: 'CA981', scannedAt: '2030-01-01T09:59:00Z' },
      views: [{ view: 'top', width: 2, height: 1, encoding: 'dual-energy-u16le', low: new ArrayBuffer(4), high: new ArrayBuffer(4) }],
    });
    expect(assigned?.views[0]?.low).toBeInstanceOf(Uint8Array);
  });

  it('drops an invalid push with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(parsePush('bag:withdrawn', { assignmentId: 'not-a-uuid', reason: 'x' })).toBeNull();
    expect(parsePush('queue:status', 'nonsense')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]?.[0]).toContain('bag:withdrawn');
  });
});

describe('refused handshakes', () => {
  const refusal = (code: string) => Object.assign(new Error('refused'), { data: { code, message: 'm', serverProtocolVersion: 2 } });

  it('reads the reason from connect_error data', () => {
    expect(connectErrorOf(refusal('bad-credentials'))).toEqual({ code: 'bad-credentials', message: 'm', serverProtocolVersion: 2 });
    expect(connectErrorOf(new Error('xhr poll error'))).toBeNull();
    expect(connectErrorOf(Object.assign(new Error('x'), { data: { code: 'teapot' } }))).toBeNull();
  });

  it('tells the officer what to do', () => {
    const message = (code: string) => {
      const data = connectErrorOf(refusal(code));
      if (!data) throw new Error('expected a refusal');
      return signInMessage(data);
    };
    expect(message('bad-credentials')).toBe(WRONG_CREDENTIALS);
    expect(message('session-expired')).toMatch(/sign in again/);
    expect(message('protocol-version')).toContain(`protocol version ${PROTOCOL_VERSION} but the hub speaks version 2`);
  });
});
