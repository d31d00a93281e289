import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MODELS_DIR, Store, StoreError, type ModelInspector } from './index.ts';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'clearway-models-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

// The store takes the model check as a function (the hub and CLI pass @clearway/detection's);
// here a stand-in that accepts files starting with "ONNX" and refuses the rest.
class Refused extends Error { code = 'not-onnx'; }
const inspect: ModelInspector = (bytes) => {
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== 'ONNX') throw new Refused('not an ONNX model');
  return { classNames: ['gun', 'knife'], inputWidth: 320, inputHeight: 320 };
};
const model = (text: string) => Uint8Array.from(`ONNX${text}`, (c) => c.charCodeAt(0));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const cli = { kind: 'cli' as const, id: 'root' };

describe('ModelRepository', () => {
  it('stores model files beside the database, the first one active, and reads them back', async () => {
    const dir = tempDir();
    const store = Store.open(dir);
    expect(store.models.current()).toBeNull();
    const a = model('reference');
    const { model: first, duplicate } = store.models.add(a, inspect, { fileName: '/tmp/clearway-xray-ref-v1.onnx', actor: cli });
    expect(duplicate).toBe(false);
    expect(first).toMatchObject({
      sha256: sha(a), name: 'clearway-xray-ref-v1', fileName: 'clearway-xray-ref-v1.onnx', classNames: ['gun', 'knife'],
      inputWidth: 320, inputHeight: 320, sizeBytes: a.length, addedBy: 'cli:root', active: true,
    });
    expect(readdirSync(join(dir, MODELS_DIR))).toEqual([`${sha(a)}.onnx`]);
    expect(store.models.filePath(sha(a))).toBe(join(dir, MODELS_DIR, `${sha(a)}.onnx`));
    const noBlob = store.db.prepare('SELECT bytes FROM models').get() as { bytes: unknown };
    expect(noBlob.bytes).toBeNull();

    const b = model('airport');
    const second = store.models.add(b, inspect, { fileName: 'airport.onnx', name: 'Airport model v3', actor: { kind: 'officer', id: 'admin.wang' } });
    expect(second.model).toMatchObject({ name: 'Airport model v3', addedBy: 'admin.wang', active: false });
    expect(store.models.current()?.sha256).toBe(sha(a)); // adding does not switch
    await store.close();

    const again = Store.open(dir);
    expect(Buffer.from(again.models.bytes(sha(b))).equals(Buffer.from(b))).toBe(true);
    expect(again.models.list().map((m) => [m.name, m.active])).toEqual([['clearway-xray-ref-v1', true], ['Airport model v3', false]]);
    await again.close();
  });

  it('keeps exactly one model active and records each change in the audit trail', () => {
    const store = Store.open(':memory:');
    const a = store.models.add(model('a'), inspect, { fileName: 'a.onnx' }).model;
    const b = store.models.add(model('b'), inspect, { fileName: 'b.onnx', activate: true, actor: cli }).model;
    expect(store.models.current()?.sha256).toBe(b.sha256);
    store.models.activate(a.sha256, cli);
    expect(store.models.list().filter((m) => m.active).map((m) => m.sha256)).toEqual([a.sha256]);
    expect(() => store.db.prepare('UPDATE models SET active = 1').run()).toThrow(/UNIQUE/);
    expect(() => store.models.activate('f'.repeat(64))).toThrow(StoreError);
    expect(store.models.current()?.sha256).toBe(a.sha256);
    const trail = store.audit.tail(10).map((r) => [r.type, r.subjectId]);
    expect(trail).toEqual([
      ['model.added', a.sha256], ['model.activated', a.sha256],
      ['model.added', b.sha256], ['model.activated', b.sha256],
      ['model.activated', a.sha256],
    ]);
    expect(Buffer.from(store.models.bytes(a.sha256)).toString()).toBe('ONNXa'); // in-memory: kept in the row
  });

  it('refuses a model the check refuses and changes nothing', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    store.models.add(model('a'), inspect, { fileName: 'a.onnx' });
    expect(() => store.models.add(Uint8Array.from([1, 2, 3]), inspect, { fileName: 'bad.onnx', activate: true })).toThrow(Refused);
    expect(store.models.list()).toHaveLength(1);
    expect(store.models.current()?.fileName).toBe('a.onnx');
    expect(readdirSync(join(dir, MODELS_DIR))).toHaveLength(1);
    void store.close();
  });

  it('treats the same file added again as the same model, activating it if asked', () => {
    const store = Store.open(':memory:');
    store.models.add(model('a'), inspect, { fileName: 'a.onnx' });
    const b = store.models.add(model('b'), inspect, { fileName: 'b.onnx' }).model;
    const again = store.models.add(model('b'), inspect, { fileName: 'renamed.onnx', name: 'other', activate: true });
    expect(again).toMatchObject({ duplicate: true, model: { sha256: b.sha256, name: 'b', active: true } });
    expect(store.models.list()).toHaveLength(2);
  });

  it('finds a model by an abbreviated SHA-256', () => {
    const store = Store.open(':memory:');
    const a = store.models.add(model('a'), inspect, { fileName: 'a.onnx' }).model;
    expect(store.models.find(a.sha256.slice(0, 8).toUpperCase()).sha256).toBe(a.sha256);
    expect(() => store.models.find('abc')).toThrow(/first 6 or more/);
    expect(() => store.models.find('0123456789')).toThrow(/no model/);
  });

  it('sees commits from another connection through data_version', async () => {
    const dir = tempDir();
    const hub = Store.open(dir);
    const cliStore = Store.open(dir);
    const before = hub.models.dataVersion();
    expect(hub.models.dataVersion()).toBe(before); // own reads change nothing
    cliStore.models.add(model('a'), inspect, { fileName: 'a.onnx', actor: cli });
    expect(hub.models.dataVersion()).not.toBe(before);
    expect(hub.models.current()?.fileName).toBe('a.onnx');
    expect(existsSync(join(dir, MODELS_DIR))).toBe(true);
    await cliStore.close();
    await hub.close();
  });
});
