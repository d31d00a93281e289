/**
 * Assignment latency: from a lane's scanner sending `scan:submit` to the bag's `bag:assigned`
 * reaching a screening officer's console, with many officers and lanes on one hub, and the
 * decisions per second they get through; against the foundation's plain decision round trip
 * (decision-roundtrip.bench.ts, steady load) measured on the same hub in the same run.
 *
 *   pnpm bench assignment                            # 200 officers, 50 lanes, 25 bags/s, 3 rounds, 30 s measured
 *   pnpm bench assignment --officers=200 --lanes=50 --rate=50 --seconds=30 --rounds=3 --think-ms=1500
 *
 * Method. The real hub (`apps/hub/src/main.ts`, on-disk SQLite, info logging) runs as its own
 * process; every client runs here, so one clock times both ends of each bag.
 Everyone is connected throughout; the phases alternate in rounds (spreading any slow patch of
 * a shared machine over both), and whoever is not in the current phase is on break.
 * 1. Baseline, the plain decision round trip as decision-roundtrip measures it at steady load:
 *    8 officers, a pre-loaded line, decisions offered at 100/s, emit → ack.
 * 2. Load: 200 officer consoles (socket.io on /console) and 50 lanes (socket.io on /device, one
 *    scanner token each). Each lane submits bags at rate/lanes per second; each officer, like a
 *    console, reports the first paint (`bag:shown`) on arrival, thinks for a uniform 0.5–1.5 ×
 *    think time, then decides (emit → ack timed: the round trip under load). Assignment latency
 *    is timed for every bag submitted in the measured part (after a warm-up each round).
 * Images are single-energy 64 × 48 (6 KB), so that the network and image copies are not what is
 * measured: this is the line, the store and the pushes. Goal (screening issue): assignment p99
 * within 2× the plain round trip's p99.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { connectDevice, connectOfficer, decisionFor, type DeviceClient, type OfficerClient } from '@clearway/hub/testing';
import { NAMESPACE, PROTOCOL_VERSION, type BagAssigned, type QueueStatus, type ScanSubmitInput } from '@clearway/protocol';
import { Store, hashPassword } from '@clearway/store';
import { io } from 'socket.io-client';
import { figures, intOption, pacedLoop, pooled, ratio, serve, shares, stop, table, type Figures, type Phase } from './support.ts';

const OFFICERS = intOption('officers', 200);
const LANES = intOption('lanes', 50);
/** Bags per second over all lanes: 0.5 a lane, 1800 an hour, above a hold-baggage CT machine's 1500 (facts page). */
const RATE = intOption('rate', 25);
/** Measured load seconds in all, split over the rounds; each load phase starts with WARMUP_S unmeasured. */
const SECONDS = intOption('seconds', 30);
const WARMUP_S = intOption('warmup-s', 2);
const ROUNDS = intOption('rounds', 3);
const THINK_MS = intOption('think-ms', 1500);
/** The baseline, as decision-roundtrip's steady phase: officers, offered rate, decisions. */
const BASE_OFFICERS = 8;
const BASE_RATE = intOption('roundtrip-rate', 100);
const BASE_DECISIONS = intOption('roundtrip-decisions', 600);
const BASE_WARMUP = 100;
const WIDTH = 64;
const HEIGHT = 48;
const GOAL_RATIO = 2;
const DRAIN_TIMEOUT_MS = 30_000;

const image = new Uint8Array(WIDTH * HEIGHT * 2).fill(0x20);
let tagSeq = 0;
function scan(lane: number): ScanSubmitInput {
  tagSeq++;
  return {
    scanId: randomUUID(), lane: `lane-${lane + 1}`, flight: 'CA981', bagTag: `L${lane + 1}-${String(tagSeq).padStart(7, '0')}`,
    scannedAt: new Date().toISOString(),
    views: [{ view: 'top', width: WIDTH, height: HEIGHT, encoding: 'single-energy-u16le', high: image }],
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-bench-assign-'));
  const closers: (() => void | Promise<void>)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  try {
    // ---- accounts, sessions (no scrypt per sign-in), one token per lane ------------------------
    const seed = Store.open(dataDir);
    const passwordHash = await hashPassword('bench password');
    const baseIds = Array.from({ length: BASE_OFFICERS }, (_, i) => `bench.base.${i + 1}`);
    const officerIds = Array.from({ length: OFFICERS }, (_, i) => `bench.officer.${i + 1}`);
    for (const id of [...baseIds, ...officerIds]) seed.identity.importOfficer({ id, name: id, role: 'screening-officer', passwordHash });
    const sessions = officerIds.map((id) => seed.identity.createSession(id, 3_600_000).token);
    const laneTokens = Array.from({ length: LANES }, (_, i) => seed.identity.createDevice(`bench-lane-${i + 1}`, 'scanner').token);
    const baseToken = seed.identity.createDevice('bench-base-scanner', 'scanner').token;
    await seed.close();
    const hubProcess = await serve('apps/hub/src/main.ts', ['--data', dataDir, '--port', '0', '--console-dir', join(dataDir, 'no-console')]);
    closers.unshift(() => stop(hubProcess.child));
    const url = hubProcess.url;

    // ---- the baseline's officers and scanner (decision-roundtrip's steady phase) -----------------
    const baseDevice = await connectDevice(url, 'bench-base-scanner', baseToken);
    closers.unshift(() => { baseDevice.close(); });
    const base = await Promise.all(baseIds.map((officerId) => connectOfficer(url, { officerId, password: 'bench password' })));
    for (const o of base) closers.unshift(() => { o.socket.close(); });
    const decide = async (w: number): Promise<number> => {
      const o = base[w];
      if (!o) throw new Error(`no officer ${w}`);
      const bag = await o.nextBag(30_000);
      const d = decisionFor(bag);
      const t0 = performance.now();
      const ack = await o.socket.emitWithAck('decision:submit', d);
      const ms = performance.now() - t0;
      if (!ack.ok) throw new Error(`decision refused: ${ack.error.message}`);
      return ms;
    };

    // ---- the load's officers and lanes -----------------------------------------------------------
    const submittedAt = new Map<string, number>(); // bagTag → when its scan was sent (measured windows only)
    const assignMs: number[] = [];
    const loadedRoundtrip: number[] = [];
    let measuring = false;
    let closing = false;
    let decisionsInWindows = 0;
    let minAvailable = Number.POSITIVE_INFINITY;
    let assignedMeasured = 0;
    const refused: string[] = [];

    const officers = await Promise.all(sessions.map((sessionToken) => new Promise<OfficerClient>((resolve, reject) => {
      const socket: OfficerClient = io(url + NAMESPACE.console, {
        auth: { protocolVersion: PROTOCOL_VERSION, sessionToken }, transports: ['websocket'], reconnection: false, forceNew: true,
      });
      socket.once('session:ready', () => resolve(socket));
      socket.once('connect_error', reject);
    })));
    for (const s of officers) closers.unshift(() => { s.close(); });
    closers.unshift(() => { closing = true; });
    officers.forEach((socket, i) => {
      socket.on('bag:assigned', (raw) => {
        const bag = raw as BagAssigned;
        const arrived = performance.now();
        const sent = submittedAt.get(bag.bag.bagTag);
        if (sent !== undefined) {
          submittedAt.delete(bag.bag.bagTag);
          assignMs.push(arrived - sent);
          assignedMeasured++;
        }
        // As a console does: the first paint, then the officer's look, then the decision.
        socket.emit('bag:shown', { assignmentId: bag.assignmentId, shownAt: new Date().toISOString(), paintMs: 0 }, () => {});
        const think = THINK_MS * (0.5 + Math.random());
        setTimeout(() => {
          if (closing) return;
          const d = { ...decisionFor(bag), paintMs: 0 };
          const t0 = performance.now();
          void socket.emitWithAck('decision:submit', d).then((ack) => {
            if (!ack.ok) return void refused.push(`officer ${i + 1}: ${ack.error.code}: ${ack.error.message}`);
            if (measuring) {
              loadedRoundtrip.push(performance.now() - t0);
              decisionsInWindows++;
            }
          }, (err: unknown) => { if (!closing) refused.push(`officer ${i + 1}: ${String(err)}`); });
        }, think);
      });
    });
    // Whether a bag ever waited for an officer: the fewest free officers the hub reported.
    officers[0]?.on('queue:status', (s) => { if (measuring) minAvailable = Math.min(minAvailable, (s as QueueStatus).officersAvailable); });

    const lanes: DeviceClient[] = await Promise.all(laneTokens.map((token, i) => connectDevice(url, `bench-lane-${i + 1}`, token)));
    for (const d of lanes) closers.unshift(() => { d.close(); });
    const submit = async (lane: number): Promise<number> => {
      const device = lanes[lane];
      if (!device) throw new Error(`no lane ${lane}`);
      const s = scan(lane);
      const t0 = performance.now();
      if (measuring) submittedAt.set(s.bagTag, t0);
      const r = await device.emitWithAck('scan:submit', s);
      if (!r.ok) throw new Error(`scan refused: ${r.error.message}`);
      return performance.now() - t0;
    };
    // The line is shared: whoever is not in the current phase goes on break (a bag not yet shown goes back).
    const setStatus = (sockets: OfficerClient[], status: 'available' | 'on-break') =>
      Promise.all(sockets.map((s) => s.emitWithAck('officer:status', { status })));
    const baseSockets = base.map((o) => o.socket);

    // ---- rounds: baseline, then load; alternating spreads slow patches of the machine over both ----
    const basePhases: Phase[] = [];
    const scanPhases: (Phase & { late: number })[] = [];
    let loadWallMs = 0;
    const baseShares = shares(BASE_DECISIONS, ROUNDS);
    const loadShares = shares(RATE * SECONDS, ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const n = baseShares[round] ?? 0;
      const warm = round === 0 ? BASE_WARMUP : 0;
      await setStatus(officers, 'on-break');
      await setStatus(baseSockets, 'on-break');
      for (const o of base) o.bags.length = 0; // bags taken back at the last break
      let left = warm + n + BASE_OFFICERS;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (left > 0) {
          left--;
          const r = await baseDevice.emitWithAck('scan:submit', scan(0));
          if (!r.ok) throw new Error(`scan refused: ${r.error.message}`);
        }
      }));
      await setStatus(baseSockets, 'available');
      if (warm > 0) await pacedLoop(BASE_OFFICERS, warm, BASE_RATE, decide);
      basePhases.push(await pacedLoop(BASE_OFFICERS, n, BASE_RATE, decide));
      await setStatus(baseSockets, 'on-break');
      await setStatus(officers, 'available');

      await pacedLoop(LANES, RATE * WARMUP_S, RATE, submit);
      measuring = true;
      const started = performance.now();
      scanPhases.push(await pacedLoop(LANES, loadShares[round] ?? 0, RATE, submit));
      loadWallMs += performance.now() - started;
      measuring = false;
    }
    const measuredBags = RATE * SECONDS;
    // Every measured bag must reach an officer; wait for the stragglers (none should be left).
    const until = Date.now() + DRAIN_TIMEOUT_MS;
    while (assignedMeasured < measuredBags && Date.now() < until) await sleep(50);
    if (refused.length > 0) throw new Error(`${refused.length} decisions refused, e.g. ${refused[0]}`);

    const scanAcks = pooled(scanPhases);
    report({
      roundtrip: figures(pooled(basePhases)),
      roundtripP99ByRound: basePhases.map((p) => figures(p).p99_ms),
      assignment: figures({ samples: assignMs, wallMs: loadWallMs }),
      loaded: figures({ samples: loadedRoundtrip, wallMs: loadWallMs }),
      scanAck: figures(scanAcks),
      decisionsPerS: decisionsInWindows / (loadWallMs / 1000),
      late: scanPhases.reduce((t, p) => t + p.late, 0),
      unassigned: measuredBags - assignedMeasured,
      measuredBags,
      minAvailable: Number.isFinite(minAvailable) ? minAvailable : null,
    });
  } finally {
    for (const close of closers) await close();
  }
}

function report(r: {
  roundtrip: Figures; roundtripP99ByRound: number[]; assignment: Figures; loaded: Figures; scanAck: Figures; decisionsPerS: number; late: number; unassigned: number; measuredBags: number;
  minAvailable: number | null;
}) {
  const x = (v: number) => `${v.toFixed(2)}×`;
  const p99Ratio = ratio(r.assignment.p99_ms, r.roundtrip.p99_ms);
  const p50Ratio = ratio(r.assignment.p50_ms, r.roundtrip.p50_ms);
  const loadedRatio = ratio(r.assignment.p99_ms, r.loaded.p99_ms);
  console.log(`assignment: ${OFFICERS} officers, ${LANES} lanes, ${RATE} bags/s offered, ${SECONDS} s measured in ${ROUNDS} rounds (each after ${WARMUP_S} s warm-up), think ${THINK_MS / 2}–${(THINK_MS * 3) / 2} ms`);
  console.log(`images single-energy ${WIDTH}×${HEIGHT} (${(WIDTH * HEIGHT * 2) / 1024} KB) so the network is not the bottleneck; websocket; hub in its own process on SQLite WAL; all clients in this process`);
  console.log(table([
    ['', 'p50 ms', 'p99 ms', 'mean ms', 'per s'],
    ['assignment (scan sent → bag:assigned)', r.assignment.p50_ms.toFixed(3), r.assignment.p99_ms.toFixed(3), r.assignment.mean_ms.toFixed(3), r.assignment.per_s.toFixed(1)],
    [`plain decision round trip (${BASE_OFFICERS} officers, ${BASE_RATE}/s)`, r.roundtrip.p50_ms.toFixed(3), r.roundtrip.p99_ms.toFixed(3), r.roundtrip.mean_ms.toFixed(3), r.roundtrip.per_s.toFixed(1)],
    ['decision round trip under this load', r.loaded.p50_ms.toFixed(3), r.loaded.p99_ms.toFixed(3), r.loaded.mean_ms.toFixed(3), r.decisionsPerS.toFixed(1)],
    ['scan:submit ack', r.scanAck.p50_ms.toFixed(3), r.scanAck.p99_ms.toFixed(3), r.scanAck.mean_ms.toFixed(3), r.scanAck.per_s.toFixed(1)],
  ]));
  console.log(`plain round trip p99 by round: ${r.roundtripP99ByRound.join(', ')} ms`);
  console.log(`decisions/s under load: ${r.decisionsPerS.toFixed(1)}; lane slots late: ${r.late}; bags never assigned: ${r.unassigned} of ${r.measuredBags}; fewest free officers seen: ${r.minAvailable ?? 'n/a'}`);
  const met = p99Ratio <= GOAL_RATIO;
  console.log(`goal: assignment p99 within ${GOAL_RATIO}× of the plain round trip p99 — ${x(p99Ratio)} (${met ? 'met' : 'NOT met'}); p50 ${x(p50Ratio)}; against the round trip under the same load ${x(loadedRatio)}`);
  console.log(JSON.stringify({
    name: 'assignment', officers: OFFICERS, lanes: LANES, offered_per_s: RATE, seconds: SECONDS, rounds: ROUNDS, warmup_s: WARMUP_S, think_ms: THINK_MS,
    image: `single-energy ${WIDTH}x${HEIGHT}`,
    assignment: r.assignment,
    roundtrip: { officers: BASE_OFFICERS, offered_per_s: BASE_RATE, decisions: BASE_DECISIONS, ...r.roundtrip, p99_ms_by_round: r.roundtripP99ByRound },
    roundtrip_under_load: r.loaded, scan_ack: r.scanAck, decisions_per_s: Number(r.decisionsPerS.toFixed(1)),
    lane_slots_late: r.late, bags_unassigned: r.unassigned, min_officers_available: r.minAvailable,
    assignment_p50_over_roundtrip_p50: p50Ratio,
    assignment_p99_over_roundtrip_p99: p99Ratio,
    assignment_p99_over_loaded_roundtrip_p99: loadedRatio,
    goal_p99_ratio: GOAL_RATIO,
    meets_goal: met,
  }));
}

await main();
