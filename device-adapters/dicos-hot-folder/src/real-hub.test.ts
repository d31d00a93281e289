// The hot folder against the real hub, in-process: files in, an officer's decision, an operator TDR out.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readDicos, SOP_CLASS, uidFromUuid } from '@clearway/dicos';
import { startHub, type Hub } from '@clearway/hub';
import { connectOfficer, decisionFor } from '@clearway/hub/testing';
import type { DecisionStored } from '@clearway/protocol';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeOperatorTdrFile } from './operator-tdr.ts';
import { runDicosHotFolder, type HotFolderSummary } from './run.ts';
import { drop, dxFixture, removeTempDirs, tdrFixture, tempDir } from './test-fixtures.ts';

let hub: Hub;
let token: string;
const stops: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }) });
  await hub.store.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
  token = hub.store.identity.createDevice('dicos-1', 'dicos-hot-folder').token;
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await hub.close();
});
afterAll(removeTempDirs);

async function startFolder(inDir: string, outDir: string, tdrWaitMs = 3000): Promise<{ lines: string[]; summary: Promise<HotFolderSummary>; stop: () => Promise<void> }> {
  const stop = new AbortController();
  const lines: string[] = [];
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const summary = runDicosHotFolder({
    hubUrl: hub.url, deviceId: 'dicos-1', token, inDir, outDir, pollMs: 20, tdrWaitMs, lane: 'lane-4', flight: 'CA981',
    signal: stop.signal, log: (line) => lines.push(line), onReady: ready,
  });
  const halt = async () => {
    stop.abort();
    await summary.catch(() => {});
  };
  stops.push(halt);
  await Promise.race([isReady, summary]);
  return { lines, summary, stop: halt };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const dcmFiles = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.dcm'));

describe('DICOS hot folder with the real hub', { timeout: 30_000 }, () => {
  for (const verdict of ['search', 'clear'] as const) {
    it(`DX + TDR in → the officer sees the machine's boxes → ${verdict} → an operator TDR out`, async () => {
      const inDir = await tempDir();
      const outDir = await tempDir();
      await startFolder(inDir, outDir);
      const officer = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
      stops.push(async () => officer.socket.close());

      const image = dxFixture(1, { accessionNumber: '0999654321' });
      await drop(inDir, 'scan-0001.tdr.dcm', tdrFixture(image)); // the TDR may come first
      await drop(inDir, 'scan-0001.dcm', image.bytes);

      const bag = await officer.nextBag(10_000);
      expect(bag.bag).toMatchObject({ bagTag: '0999654321', lane: 'lane-4', flight: 'CA981' });
      expect(bag.views).toHaveLength(1);
      expect(bag.views[0]).toMatchObject({ view: 'top', width: 48, height: 32, encoding: 'single-energy-u16le' });
      expect(bag.views[0]?.high.byteLength).toBe(48 * 32 * 2);
      expect(bag.machineResult).toMatchObject({
        algorithm: 'VendorX ATR 4.2', alarm: true,
        detections: [{ id: '1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.75, box: { view: 'top', x: 10, y: 8, width: 20, height: 12 } }],
      });

      const decision = decisionFor(bag, verdict);
      const ack = await officer.socket.emitWithAck('decision:submit', decision);
      expect(ack).toMatchObject({ ok: true, duplicate: false });
      if (!ack.ok) throw new Error('decision refused');

      const [name] = await waitFor(async () => {
        const files = await dcmFiles(outDir);
        return files.length > 0 ? files : undefined;
      });
      expect(name).toBe(`${uidFromUuid(ack.decisionId)}.dcm`);
      const tdr = readDicos(await readFile(join(outDir, name ?? '')));
      if (tdr.kind !== 'tdr') throw new Error('not a TDR');
      expect(tdr).toMatchObject({
        sopClassUid: SOP_CLASS.tdr, sopInstanceUid: uidFromUuid(ack.decisionId), studyInstanceUid: image.studyInstanceUid,
        tdrType: 'OPERATOR', alarmDecision: verdict === 'search' ? 'ALARM' : 'CLEAR', alarmDecisionAt: new Date(decision.decidedAt).toISOString(),
        operator: { id: 'li.wei', name: 'Li Wei' },
        referencedImage: { sopInstanceUid: image.sopInstanceUid, sopClassUid: SOP_CLASS.dxForPresentation },
      });
      // Acknowledged: the hub marks the decision reported and does not send it again.
      await waitFor(async () => (hub.store.screening.unreportedDecisions('dicos-1').length === 0 ? true : undefined));
      // Both input files were filed away once the hub had stored the scan.
      expect((await readdir(join(inDir, 'processed'))).sort()).toEqual(['scan-0001.dcm', 'scan-0001.tdr.dcm']);
      expect(await readdir(outDir)).toEqual([name]); // no temporary files left
    }, 30_000);
  }

  it('quarantines a corrupt file and still ingests the good one after it; a re-dropped file is a duplicate', async () => {
    const inDir = await tempDir();
    const outDir = await tempDir();
    const { summary } = await startFolder(inDir, outDir, 50);
    await writeFile(join(inDir, 'a-corrupt.dcm'), Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from('garbage garbage garbage garbage')]));
    const good = dxFixture(2);
    await drop(inDir, 'b-good.dcm', good.bytes);

    const reason = await waitFor(async () => JSON.parse(await readFile(join(inDir, 'quarantine', 'a-corrupt.dcm.reason.json'), 'utf8')) as { reason: string; message: string; at: string });
    expect(reason.reason).toMatch(/^(not-dicom|truncated|missing-attribute)$/);
    expect(reason.message).not.toBe('');
    await waitFor(async () => ((await readdir(join(inDir, 'processed'))).includes('b-good.dcm') ? true : undefined));
    const waiting = hub.store.screening.waitingBags();
    expect(waiting).toHaveLength(1);

    // The same image again (a scanner resending): the hub stores it once.
    await drop(inDir, 'b-good-again.dcm', good.bytes);
    await waitFor(async () => ((await readdir(join(inDir, 'processed'))).includes('b-good-again.dcm') ? true : undefined));
    expect(hub.store.screening.waitingBags()).toHaveLength(1);
    stops.splice(0).forEach((s) => void s());
    await expect(summary).resolves.toMatchObject({ scansAcked: 2, duplicates: 1 });
  }, 30_000);

  it('gets a decision made while it was away when it reconnects', async () => {
    const inDir = await tempDir();
    const outDir = await tempDir();
    const first = await startFolder(inDir, outDir, 50);
    const officer = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
    stops.push(async () => officer.socket.close());
    const image = dxFixture(3, { transferSyntax: 'implicit' });
    await drop(inDir, 'away.dcm', image.bytes);
    const bag = await officer.nextBag(10_000);
    await first.stop();
    const ack = await officer.socket.emitWithAck('decision:submit', decisionFor(bag, 'search'));
    if (!ack.ok) throw new Error('decision refused');
    expect(await dcmFiles(outDir)).toEqual([]);
    expect(hub.store.screening.unreportedDecisions('dicos-1')).toHaveLength(1);
    await startFolder(inDir, outDir, 50);
    const [name] = await waitFor(async () => {
      const files = await dcmFiles(outDir);
      return files.length > 0 ? files : undefined;
    });
    const tdr = readDicos(await readFile(join(outDir, name ?? '')));
    expect(tdr).toMatchObject({ kind: 'tdr', alarmDecision: 'ALARM', referencedImage: { sopInstanceUid: image.sopInstanceUid } });
    await waitFor(async () => (hub.store.screening.unreportedDecisions('dicos-1').length === 0 ? true : undefined));
  }, 30_000);

  it('writes an operator TDR once when the same decision comes twice', async () => {
    const outDir = await tempDir();
    const decision: DecisionStored = {
      decisionId: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', bagId: '1f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', scanId: '2f1c2d3e-4b5a-5c6d-8e7f-0a1b2c3d4e5f',
      bagTag: '0999000001', verdict: 'search', officer: { id: 'li.wei', name: 'Li Wei' },
      shownAt: '2025-06-01T08:00:00.000Z', decidedAt: '2025-06-01T08:00:02.000Z', storedAt: '2025-06-01T08:00:02.100Z',
      source: { standard: 'dicos', sopClassUid: SOP_CLASS.dxForPresentation, sopInstanceUid: '1.2.3.4.5' },
    };
    const [first, second] = await Promise.all([writeOperatorTdrFile(outDir, decision), writeOperatorTdrFile(outDir, decision)]);
    expect(first).toEqual(second); // the same write, shared
    const third = await writeOperatorTdrFile(outDir, decision);
    expect(first).toMatchObject({ status: 'written' });
    expect(third).toMatchObject({ status: 'exists' });
    const files = await readdir(outDir);
    expect(files).toEqual([`${uidFromUuid(decision.decisionId)}.dcm`]);
    const { source: _source, ...withoutSource } = decision;
    await expect(writeOperatorTdrFile(outDir, withoutSource)).resolves.toEqual({ status: 'no-source' });
  });
});
