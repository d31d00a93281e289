// `pnpm clearway bag BAGID` and `pnpm clearway dicos tdr BAGID --out FILE`: one bag as stored, with
// the scanner's machine result, the console models' results and the officers' decisions, and a
// console model's result as a DICOS machine TDR.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type MachineTdrInput, SOP_CLASS, type TdrPtoInput, uidFromUuid, writeMachineTdr } from '@clearway/dicos';
import type { ScanSource, ViewName } from '@clearway/protocol';
import type { Store, StoredDetectionResult } from '@clearway/store';

/** DX frame of each view (DICOS DX: frame 0 the top view, frame 1 the side view), the PTO's z. */
const FRAME: Record<ViewName, number> = { top: 0, side: 1 };

/** "name sha256:0123456789ab on wasm SIMD 4 threads", cut to what the TDR attribute holds. */
export function algorithmOf(result: Pick<StoredDetectionResult, 'model' | 'backend'>): string {
  return `${result.model.name} sha256:${result.model.sha256.slice(0, 12)} (${result.backend})`.slice(0, 64);
}

/**
 * The MACHINE TDR for a console model's result on a bag. It refers to the DICOS image the scan
 * was read from, or (a scan from a scanner on the wire) to a DX image UID made from the bag ID.
 * Each detection is a PTO on its view's frame; its ID is its position from 1.
 */
export function detectionResultTdrInput(result: StoredDetectionResult, source: ScanSource | null): MachineTdrInput {
  const ptos: TdrPtoInput[] = result.detections.map((d, i) => ({
    id: i + 1,
    category: d.category,
    label: d.label,
    probability: d.score,
    assessmentFlag: 'THREAT',
    box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height, z: FRAME[d.box.view] },
  }));
  return {
    imageSopInstanceUid: source?.sopInstanceUid ?? uidFromUuid(result.bagId),
    imageSopClassUid: source?.sopClassUid ?? SOP_CLASS.dxForProcessing,
    ...(source?.studyInstanceUid ? { studyInstanceUid: source.studyInstanceUid } : {}),
    ...(source?.seriesInstanceUid ? { imageSeriesInstanceUid: source.seriesInstanceUid } : {}),
    sopInstanceUid: uidFromUuid(result.resultId),
    algorithm: algorithmOf(result),
    alarm: result.alarm,
    alarmDecisionTime: new Date(result.storedAt),
    processingMs: Math.round(result.inferMs),
    ptos,
    createdAt: new Date(result.storedAt),
  };
}

/** Everything stored about one bag, as one JSON-ready object; null when there is no such bag. */
export function bagReport(store: Store, bagId: string) {
  const bag = store.screening.bag(bagId);
  if (!bag) return null;
  return {
    ...bag,
    machineResult: store.screening.machineResult(bagId),
    consoleDetections: store.screening.detectionResults(bagId),
    decisions: store.screening.decisionsForBag(bagId),
    // Robots sent for the bag, newest first, each with every state it went through and when.
    robotMissions: store.missions.forBag(bagId).map((m) => ({ ...m, history: store.missions.history(m.missionId) })),
  };
}

type Run = (action: (store: Store) => Promise<void> | void) => Promise<void>;

function fail(message: string): void {
  console.error(`clearway: ${message}`);
  process.exitCode = 1;
}

/** Adds `bag BAGID` to the program and `tdr BAGID --out FILE` to its `dicos` group. */
export function registerBagCommands(program: Command, dicos: Command, run: Run): void {
  program.command('bag')
    .description('print one bag as one JSON object: the scan, the scanner\'s machine result, the console models\' results and the decisions')
    .argument('<bagId>', 'bag ID (see `clearway decisions`)')
    .action((bagId: string) => run((store) => {
      const report = bagReport(store, bagId);
      if (!report) return fail(`no bag ${bagId}`);
      console.log(JSON.stringify(report));
    }));

  dicos.command('tdr')
    .description('write the console model\'s result on a bag as a DICOS machine TDR')
    .argument('<bagId>', 'bag ID')
    .requiredOption('--out <file>', 'TDR file to write (.dcm)')
    .option('--model <sha256>', 'which model\'s result, when more than one ran on the bag (default: the latest)')
    .action((bagId: string, o: { out: string; model?: string }) => run(async (store) => {
      if (!store.screening.bag(bagId)) return fail(`no bag ${bagId}`);
      const results = store.screening.detectionResults(bagId).filter((r) => o.model === undefined || r.model.sha256.startsWith(o.model));
      const result = results.at(-1);
      if (!result) return fail(`bag ${bagId} has no console detection result${o.model ? ` from model ${o.model}` : ''}`);
      await writeFile(o.out, writeMachineTdr(detectionResultTdrInput(result, store.screening.scanSource(bagId))));
      console.log(JSON.stringify({ bagId, out: o.out, model: result.model, detections: result.detections.length, alarm: result.alarm }));
    }));
}
