import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ClearwayBridge,
  type IpcHandlerHost,
  type IpcInvoker,
  type OutboxEntry,
  IpcValidationError,
  channelOf,
  createBridge,
  handle,
  ipcMap,
} from './ipc.ts';
import { sampleOutboxEntry } from './test-fixtures.ts';

const entry: OutboxEntry = sampleOutboxEntry();

/** ipcMain and ipcRenderer wired back to back, as Electron does across processes. */
function loopback(): IpcHandlerHost<{ url: string }> & IpcInvoker & { sent: unknown[][] } {
  const handlers = new Map<string, (event: { url: string }, ...args: unknown[]) => unknown>();
  const sent: unknown[][] = [];
  return {
    sent,
    handle(channel, listener) {
      handlers.set(channel, listener);
    },
    async invoke(channel, ...args) {
      sent.push([channel, ...args]);
      const listener = handlers.get(channel);
      if (!listener) throw new Error(`no handler for ${channel}`);
      return listener({ url: 'app://console/index.html' }, ...args);
    },
  };
}

describe('IPC map', () => {
  it('names every channel once, under the clearway: prefix', () => {
    const channels = Object.values(ipcMap).map((spec) => spec.channel);
    expect(new Set(channels).size).toBe(channels.length);
    for (const channel of channels) expect(channel).toMatch(/^clearway:/);
    expect(channelOf('outboxSave')).toBe('clearway:outbox:save');
  });

  it('types the bridge from the map', () => {
    expectTypeOf<ClearwayBridge['getConfig']>().parameters.toEqualTypeOf<[]>();
    expectTypeOf<ClearwayBridge['outboxSave']>().parameters.toEqualTypeOf<[request: OutboxEntry[]]>();
    expectTypeOf<Awaited<ReturnType<ClearwayBridge['getConfig']>>>().toEqualTypeOf<{
      hubUrl: string;
      appVersion: string;
      shell: 'electron';
    }>();
  });

  it('carries a call from the bridge to its handler and back', async () => {
    const ipc = loopback();
    const saved: OutboxEntry[][] = [];
    handle(ipc, 'getConfig', () => ({ hubUrl: 'http://localhost:4300', appVersion: '0.1.0', shell: 'electron' as const }));
    handle(ipc, 'outboxLoad', () => saved.at(-1) ?? []);
    handle(ipc, 'outboxSave', (entries) => {
      saved.push(entries);
    });
    const bridge = createBridge(ipc);
    expect(await bridge.getConfig()).toEqual({ hubUrl: 'http://localhost:4300', appVersion: '0.1.0', shell: 'electron' });
    await bridge.outboxSave([entry]);
    expect(await bridge.outboxLoad()).toEqual([entry]);
    // A call without a request sends no argument at all.
    expect(ipc.sent[0]).toEqual(['clearway:config:get']);
  });

  it('refuses an invalid request before it leaves the renderer', async () => {
    const ipc = loopback();
    handle(ipc, 'outboxSave', () => undefined);
    const bridge = createBridge(ipc);
    const bad = { ...entry, state: 'lost' } as unknown as OutboxEntry;
    await expect(bridge.outboxSave([bad])).rejects.toBeInstanceOf(IpcValidationError);
    expect(ipc.sent).toEqual([]);
  });

  it('refuses an invalid request in main even when the preload is bypassed', async () => {
    const ipc = loopback();
    let called = false;
    handle(ipc, 'outboxSave', () => {
      called = true;
    });
    await expect(ipc.invoke('clearway:outbox:save', [{ ...entry, attempts: -1 }])).rejects.toThrow(/invalid request/);
    await expect(ipc.invoke('clearway:outbox:save', 'not a list')).rejects.toThrow(/invalid request/);
    expect(called).toBe(false);
  });

  it('refuses an invalid response from main', async () => {
    const ipc = loopback();
    ipc.handle('clearway:config:get', () => ({ hubUrl: 'ftp://hub', appVersion: '0.1.0', shell: 'electron' }));
    await expect(createBridge(ipc).getConfig()).rejects.toThrow(/invalid response/);
  });

  it('refuses calls from untrusted senders', async () => {
    const ipc = loopback();
    handle(ipc, 'outboxLoad', () => [], { trust: (event) => event.url.startsWith('app://elsewhere/') });
    await expect(createBridge(ipc).outboxLoad()).rejects.toThrow(/untrusted sender/);
  });
});
