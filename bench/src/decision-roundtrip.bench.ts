/**
 * Decision round trip: how long a screening officer waits between sending a decision and the
 * hub's ack (stored in SQLite), and how many decisions a second the hub gets through, against a
 * bare socket.io echo server measured in the same run with the same client, transport and payload.
 *
 *   pnpm bench decision                      # defaults: 2000 decisions, 8 officers, 200 warm-up
 *   pnpm bench decision --decisions=5000 --officers=16 --warmup=500 --rounds=4
 *   BENCH_DECISIONS=500 pnpm bench decision
 *
 * Method: K officers sign in, the line is pre-loaded with one small scan per decision, then each
 * officer loops (wait for bag:assigned, submit its decision, time emit → ack); the echo clients
 * loop the same way on one fixed decision-shaped payload. The hub (`apps/hub/src/main.ts`, info
 * logging, the way it runs at a checkpoint) and the echo server each run as their own process;
 * the clients run here. Measured phases alternate echo and hub in rounds; samples are pooled.
 *
 * Two loads: saturated closed loops (throughput, and latency when officers queue), and a steady
 * offered rate (default 100 decisions/s, ~400× a 300-passenger flight's need) for latency
 * without queueing. Goal (hub issue): hub p99 within 1.5× of the echo p99, judged at steady load;
 * the saturated ratio is printed beside it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDevice, connectOfficer, decisionFor, testScan } from '@clearway/hub/testing';
import { NAMESPACE } from '@clearway/protocol';
import { Store, hashPassword } from '@clearway/store';
import { io, type Socket } from 'socket.io-client';
import { closedLoop, figures, intOption, pacedLoop, pooled, ratio, serve, shares, stop, table, type Figures, type Phase } from './support.ts';

const DECISIONS = intOption('decisions', 2000);
const OFFICERS = intOption('officers', 8);
const WARMUP = intOption('warmup', 200);
const ROUNDS = Math.min(intOption('rounds', 4), DECISIONS);
/** The steady-load phase: decisions per second offered over all officers, and how many per side. */
const PACED_RATE = intOption('paced-rate', 100);
const PACED_DECISIONS = intOption('paced-decisions', 1000);
const VIEW_SIZE = 32; // 32×32 dual-energy views: small, so image bytes do not dominate the round trip
const GOAL_P99_RATIO = 1.5;
const BAG_TIMEOUT_MS = 30_000;
/** Quiet time before each measured phase: longer than the hub's 250 ms queue:status coalescing. */
const SETTLE_MS = 300;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-bench-'));
  const closers: (() => void | Promise<void>)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  try {
    // ---- the real hub process: on-disk SQLite (WAL), port 0 -------------------------------------
    const seed = Store.open(dataDir);
    const passwordHash = await hashPassword('bench password'); // scrypt once, outside any timing
    const officerIds = Array.from({ length: OFFICERS }, (_, i) => `bench.officer.${i + 1}`);
    for (const id of officerIds) seed.identity.importOfficer({ id, name: id, role: 'screening-officer', passwordHash });
    const scannerToken = seed.identity.createDevice('bench-scanner', 'scanner').token;
    await seed.close();
    const hubProcess = await serve('apps/hub/src/main.ts', ['--data', dataDir, '--port', '0', '--console-dir', join(dataDir, 'no-console')]);
    closers.unshift(() => stop(hubProcess.child));
    const hub = { url: hubProcess.url };

    // Every officer holds one bag at the end, so the line needs warm-up + measured + one each.
    const scans = WARMUP + DECISIONS + PACED_DECISIONS + OFFICERS;
    const device = await connectDevice(hub.url, 'bench-scanner', scannerToken);
    closers.unshift(() => { device.close(); });
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < scans) {
        next++;
        const r = await device.emitWithAck('scan:submit', testScan({}, VIEW_SIZE));
        if (!r.ok) throw new Error(`scan refused: ${r.error.code}: ${r.error.message}`);
      }
    }));

    const officers = await Promise.all(officerIds.map((officerId) => connectOfficer(hub.url, { officerId, password: 'bench password' })));
    for (const o of officers) closers.unshift(() => { o.socket.close(); });

    const decide = async (w: number): Promise<number> => {
      const o = officers[w];
      if (!o) throw new Error(`no officer ${w}`);
      const bag = await o.nextBag(BAG_TIMEOUT_MS); // waiting for the next bag is not part of the round trip
      const decision = decisionFor(bag);
      const t0 = performance.now();
      const ack = await o.socket.emitWithAck('decision:submit', decision);
      const ms = performance.now() - t0;
      if (!ack.ok) throw new Error(`decision refused: ${ack.error.code}: ${ack.error.message}`);
      return ms;
    };

    // ---- the baseline: a bare socket.io server, its own process, acking the payload straight back --
    const echoProcess = await serve('bench/src/echo-server.ts', []);
    closers.unshift(() => stop(echoProcess.child));
    const echoUrl = echoProcess.url;
    const echoClients = await Promise.all(Array.from({ length: OFFICERS }, () => new Promise<Socket>((resolve, reject) => {
      const s = io(echoUrl + NAMESPACE.console, { transports: ['websocket'], reconnection: false, forceNew: true });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    })));
    for (const s of echoClients) closers.unshift(() => { s.close(); });
    // The same shape as a real decision, one object per client, sent again and again.
    const payloads = echoClients.map(() => {
      const now = new Date().toISOString();
      return { idempotencyKey: randomUUID(), assignmentId: randomUUID(), bagId: randomUUID(), verdict: 'clear' as const, shownAt: now, decidedAt: now };
    });
    const echo = async (w: number): Promise<number> => {
      const s = echoClients[w];
      if (!s) throw new Error(`no echo client ${w}`);
      const t0 = performance.now();
      await s.emitWithAck('decision:submit', payloads[w]);
      return performance.now() - t0;
    };

    // ---- warm up both, then measure both in alternating rounds -----------------------------------
    // Alternating spreads any slow patch of the machine (GC, other processes) over both sides.
    await closedLoop(OFFICERS, WARMUP, echo);
    await closedLoop(OFFICERS, WARMUP, decide);
    const echoPhases: Phase[] = [];
    const hubPhases: Phase[] = [];
    for (const n of shares(DECISIONS, ROUNDS)) {
      await settle();
      echoPhases.push(await closedLoop(OFFICERS, n, echo));
      await settle();
      hubPhases.push(await closedLoop(OFFICERS, n, decide));
    }
    const echoFig = figures(pooled(echoPhases));
    const hubFig = figures(pooled(hubPhases));

    // Steady load: the same officers at a fixed offered rate, so latency is not queueing at saturation.
    const pacedEcho: Phase[] = [];
    const pacedHub: Phase[] = [];
    let late = 0;
    for (const n of shares(PACED_DECISIONS, 2)) {
      await settle();
      const e = await pacedLoop(OFFICERS, n, PACED_RATE, echo);
      await settle();
      const h = await pacedLoop(OFFICERS, n, PACED_RATE, decide);
      pacedEcho.push(e);
      pacedHub.push(h);
      late += e.late + h.late;
    }

    const reader = Store.open(dataDir);
    const stored = reader.screening.decisionCount();
    reader.db.close();
    const expected = WARMUP + DECISIONS + PACED_DECISIONS;
    if (stored !== expected) throw new Error(`expected ${expected} stored decisions, found ${stored}`);

    // Per-round p99s show whether one disturbed round (GC, another process) carries the pooled p99.
    const byRound = (phases: Phase[]) => phases.map((p) => figures(p).p99_ms);
    report(hubFig, echoFig, { hub: byRound(hubPhases), echo: byRound(echoPhases) },
      { hub: figures(pooled(pacedHub)), echo: figures(pooled(pacedEcho)), late });
  } finally {
    for (const close of closers) await close();
  }
}

function report(hub: Figures, echo: Figures, p99ByRound: { hub: number[]; echo: number[] }, paced: { hub: Figures; echo: Figures; late: number }) {
  const ratios = {
    p50_ratio: ratio(hub.p50_ms, echo.p50_ms),
    p99_ratio: ratio(hub.p99_ms, echo.p99_ms),
    mean_ratio: ratio(hub.mean_ms, echo.mean_ms),
    throughput_ratio: ratio(hub.per_s, echo.per_s),
  };
  const pacedRatios = { p50_ratio: ratio(paced.hub.p50_ms, paced.echo.p50_ms), p99_ratio: ratio(paced.hub.p99_ms, paced.echo.p99_ms) };
  const x = (r: number) => `${r.toFixed(2)}×`;
  const rows = (h: Figures, e: Figures) => [
    ['', 'p50 ms', 'p99 ms', 'mean ms', 'decisions/s'],
    ['hub', h.p50_ms.toFixed(3), h.p99_ms.toFixed(3), h.mean_ms.toFixed(3), h.per_s.toFixed(1)],
    ['echo', e.p50_ms.toFixed(3), e.p99_ms.toFixed(3), e.mean_ms.toFixed(3), e.per_s.toFixed(1)],
    ['hub/echo', x(ratio(h.p50_ms, e.p50_ms)), x(ratio(h.p99_ms, e.p99_ms)), x(ratio(h.mean_ms, e.mean_ms)), x(ratio(h.per_s, e.per_s))],
  ];
  console.log(`decision-roundtrip: ${OFFICERS} officers, ${VIEW_SIZE}×${VIEW_SIZE} views, websocket, hub and echo each in their own process, hub on SQLite WAL in a temp dir`);
  console.log(`\nsaturated: ${DECISIONS} decisions in closed loops (after ${WARMUP} warm-up, ${ROUNDS} rounds alternating hub and echo)`);
  console.log(table(rows(hub, echo)));
  console.log(`p99 ms by round: hub ${p99ByRound.hub.join(', ')}; echo ${p99ByRound.echo.join(', ')}`);
  console.log(`\nsteady load: ${PACED_DECISIONS} decisions per side offered at ${PACED_RATE}/s (${paced.late} slots late)`);
  console.log(table(rows(paced.hub, paced.echo)));
  const met = pacedRatios.p99_ratio <= GOAL_P99_RATIO;
  console.log(`\ngoal: hub p99 within ${GOAL_P99_RATIO}× of echo p99 — steady load ${x(pacedRatios.p99_ratio)} (${met ? 'met' : 'NOT met'}); saturated ${x(ratios.p99_ratio)}`);
  console.log(JSON.stringify({
    name: 'decision-roundtrip', officers: OFFICERS, view_px: VIEW_SIZE,
    saturated: { decisions: DECISIONS, warmup: WARMUP, rounds: ROUNDS, hub, echo, ...ratios, p99_ms_by_round: p99ByRound },
    steady: { decisions: PACED_DECISIONS, offered_per_s: PACED_RATE, late_slots: paced.late, hub: paced.hub, echo: paced.echo, ...pacedRatios },
    p99_ratio: pacedRatios.p99_ratio,
    saturated_p99_ratio: ratios.p99_ratio,
    goal_p99_ratio: GOAL_P99_RATIO,
    meets_goal: met,
  }));
}

await main();
