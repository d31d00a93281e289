// Officers' performance through the real hub: bags decided over the wire (a projected threat
// among them, a search that found nothing), the shift lead's `performance:report` per officer and
// per team, and the break rule from the settings reaching the officer and the shift lead alike.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { dPrime } from '@clearway/domain';
import {
  NAMESPACE, OfficerWorkloadPush, OfficersStatus, PROTOCOL_VERSION, PerformanceReportReply, TipResult,
  type BagAssigned, type ConsoleToHubEvents, type HubToConsoleEvents, type PerformanceReport,
} from '@clearway/protocol';
import { hashPassword } from '@clearway/store';
import { io, type Socket } from 'socket.io-client';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, suitcase, type DeviceClient } from './testing.ts';
import { DEFAULT_TIP_LIBRARY } from './tip-library.ts';

const OFFICERS = [
  { id: 'lead', name: 'Wang Fang', role: 'shift-lead', password: 'shift lead pw', team: null },
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse', team: 'A' },
  { id: 'anna', name: 'Anna K', role: 'screening-officer', password: 'battery staple', team: 'A' },
  { id: 'omar', name: 'Omar H', role: 'screening-officer', password: 'no team here', team: null },
  { id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station', team: null },
] as const;
type OfficerId = (typeof OFFICERS)[number]['id'];
const hashes = new Map<string, string>();
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });

let hub: Hub;
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
});

async function start(): Promise<DeviceClient> {
  hub = await startHub({
    dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }), referenceModel: null,
    tip: { libraryDir: DEFAULT_TIP_LIBRARY, secret: 'performance-test' },
  });
  for (const o of OFFICERS) hub.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '', team: o.team });
  hub.store.settings.set('tip.projection', { rate: 0, items: {} });
  const scanner = await connectDevice(hub.url, 'scanner-1', hub.store.identity.createDevice('scanner-1', 'scanner').token);
  closers.push(() => scanner.close());
  return scanner;
}

async function signIn(id: OfficerId) {
  const o = OFFICERS.find((x) => x.id === id);
  const officer = await connectOfficer(hub.url, { officerId: id, password: o?.password ?? '' });
  closers.push(() => officer.socket.close());
  return officer;
}

/** A console that keeps every push of the given kinds (from the first packet on). */
async function consoleOf(id: OfficerId) {
  const o = OFFICERS.find((x) => x.id === id);
  const socket: Socket<HubToConsoleEvents, ConsoleToHubEvents> = io(hub.url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId: id, password: o?.password ?? '' }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
  });
  closers.push(() => socket.close());
  const workloads: OfficerWorkloadPush[] = [];
  const statuses: OfficersStatus[] = [];
  socket.on('officer:workload', (w) => workloads.push(OfficerWorkloadPush.parse(w)));
  socket.on('officers:status', (s) => statuses.push(OfficersStatus.parse(s)));
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
    socket.connect();
  });
  return { socket, workloads, statuses };
}

/** A decision that took `seconds` from first paint to the key press. */
function decision(bag: BagAssigned, verdict: 'clear' | 'search', seconds: number) {
  const decidedAt = Date.now();
  return {
    idempotencyKey: randomUUID(), assignmentId: bag.assignmentId, bagId: bag.bag.bagId, verdict,
    shownAt: new Date(decidedAt - seconds * 1000).toISOString(), decidedAt: new Date(decidedAt).toISOString(),
  };
}

async function report(socket: Socket<HubToConsoleEvents, ConsoleToHubEvents>, q: { from?: string; to?: string } = {}): Promise<PerformanceReport> {
  const reply = PerformanceReportReply.parse(await socket.emitWithAck('performance:report', q));
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.report;
}

describe('the shift lead\'s performance report', () => {
  it('counts a TIP hit, a false alarm and clean bags per officer and per team, with decision times; screeners may not ask', async () => {
    const scanner = await start();
    const li = await signIn('li.wei');
    const tipResults: TipResult[] = [];
    li.socket.on('tip:result', (r) => tipResults.push(TipResult.parse(r)));

    // A projected threat: li.wei sends it to search (a hit), then decides the bag itself.
    hub.store.settings.set('tip.projection', { rate: 1, items: {} });
    await scanner.emitWithAck('scan:submit', suitcase());
    const projected = await li.nextBag();
    hub.store.settings.set('tip.projection', { rate: 0, items: {} });
    expect(hub.store.tip.forBag(projected.bag.bagId)).not.toBeNull();
    expect(await li.socket.emitWithAck('decision:submit', decision(projected, 'search', 4))).toMatchObject({ ok: true });
    await expect.poll(() => tipResults[0]).toMatchObject({ projected: true, found: true });
    const itself = await li.nextBag();
    expect(itself.bag.bagId).toBe(projected.bag.bagId);
    expect(await li.socket.emitWithAck('decision:submit', decision(itself, 'clear', 2))).toMatchObject({ ok: true });

    // A search that finds nothing: a false alarm once the search station says so.
    await scanner.emitWithAck('scan:submit', suitcase());
    const searched = await li.nextBag();
    expect(hub.store.tip.forBag(searched.bag.bagId)).toBeNull();
    expect(await li.socket.emitWithAck('decision:submit', decision(searched, 'search', 6))).toMatchObject({ ok: true });
    const zhang = await signIn('zhang');
    const outcome = { idempotencyKey: randomUUID(), bagId: searched.bag.bagId, outcome: 'nothing-found' as const };
    await expect.poll(async () => (await zhang.socket.emitWithAck('search:outcome', outcome)).ok).toBe(true);

    // li.wei goes on break; anna (same team) and omar (no team) clear a bag each.
    expect(await li.socket.emitWithAck('officer:status', { status: 'on-break' })).toMatchObject({ ok: true });
    const anna = await signIn('anna');
    await scanner.emitWithAck('scan:submit', suitcase());
    expect(await anna.socket.emitWithAck('decision:submit', decision(await anna.nextBag(), 'clear', 3))).toMatchObject({ ok: true });
    const omar = await signIn('omar');
    expect(await anna.socket.emitWithAck('officer:status', { status: 'on-break' })).toMatchObject({ ok: true });
    await scanner.emitWithAck('scan:submit', suitcase());
    expect(await omar.socket.emitWithAck('decision:submit', decision(await omar.nextBag(), 'clear', 1))).toMatchObject({ ok: true });

    const lead = await consoleOf('lead');
    const r = await report(lead.socket);
    expect(Date.parse(r.to) - Date.parse(r.from)).toBe(8 * 3_600_000); // the current shift by default
    expect(r.maxContinuousMinutes).toBe(20);
    expect(r.officers.map((o) => [o.officerId, o.name, o.team])).toEqual([['anna', 'Anna K', 'A'], ['li.wei', 'Li Wei', 'A'], ['omar', 'Omar H', null]]);

    const liRow = r.officers.find((o) => o.officerId === 'li.wei');
    expect(liRow).toMatchObject({
      decisions: 3, tipProjections: 1, tipHits: 1, tipHitRate: 1, cleanBags: 2, falseAlarms: 1, falseAlarmRate: 0.5,
      meanDecisionMs: 4000, p95DecisionMs: 6000, breakDue: false,
    });
    expect(liRow?.dPrime).toBeCloseTo(dPrime(1, 1, 1, 2) ?? Number.NaN, 10);
    expect(liRow?.screenMs).toBeGreaterThanOrEqual(6000); // at least the longest decision's time on screen (the spans overlap)
    expect(liRow?.bagsPerHour).toBeGreaterThan(0);
    // No projection for anna: no hit rate and no d′, as null (never NaN) on the wire.
    expect(r.officers.find((o) => o.officerId === 'anna')).toMatchObject({
      decisions: 1, tipProjections: 0, tipHitRate: null, dPrime: null, cleanBags: 1, falseAlarms: 0, falseAlarmRate: 0, meanDecisionMs: 3000,
    });

    // Team A pools li.wei and anna; omar is in no team.
    expect(r.teams.map((t) => [t.team, t.officers])).toEqual([['A', ['anna', 'li.wei']]]);
    const team = r.teams[0];
    expect(team).toMatchObject({ decisions: 4, tipProjections: 1, tipHits: 1, cleanBags: 3, falseAlarms: 1, meanDecisionMs: 3750, breakDue: [] });
    expect(team?.dPrime).toBeCloseTo(dPrime(1, 1, 1, 3) ?? Number.NaN, 10);
    expect(team?.screenMs).toBeCloseTo((liRow?.screenMs ?? 0) + (r.officers[0]?.screenMs ?? 0), 6);

    // A period before any of it: nobody. A period the wrong way round: refused, naming the field.
    const hourAgo = Date.now() - 3_600_000;
    expect((await report(lead.socket, { from: new Date(hourAgo - 3_600_000).toISOString(), to: new Date(hourAgo).toISOString() })).officers).toEqual([]);
    expect(await lead.socket.emitWithAck('performance:report', { from: new Date().toISOString(), to: new Date(hourAgo).toISOString() }))
      .toMatchObject({ ok: false, error: { code: 'invalid', field: 'to' } });
    expect(await li.socket.emitWithAck('performance:report', {})).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/performance:report/) } });
  });
});

describe('the break rule from the settings', () => {
  it('tells the officer and the shift lead alike that a break is due, and the report agrees', async () => {
    await start();
    // 1.2 s at the screen: a break falls due while the test watches.
    hub.store.settings.set('screening.officerWorkload', { maxContinuousScreenMin: 0.02, minBreakMin: 10 });
    const li = await consoleOf('li.wei');
    const lead = await consoleOf('lead');
    await expect.poll(() => li.workloads.at(-1)?.breakDue, { timeout: 10_000 }).toBe(true);
    const told = li.workloads.at(-1);
    expect(told).toMatchObject({ maxContinuousMinutes: 0.02, minBreakMinutes: 10 });
    expect(told?.continuousMs).toBeGreaterThanOrEqual(1200);
    await expect.poll(() => lead.statuses.at(-1)?.officers.find((o) => o.officerId === 'li.wei')?.breakDue, { timeout: 10_000 }).toBe(true);
    expect(lead.statuses.at(-1)).toMatchObject({ maxContinuousMinutes: 0.02, minBreakMinutes: 10 });
    expect(lead.statuses.at(-1)?.officers.find((o) => o.officerId === 'li.wei')?.breakDueAt).toBe(told?.breakDueAt);

    const r = await report(lead.socket);
    expect(r.officers.find((o) => o.officerId === 'li.wei')).toMatchObject({ decisions: 0, breakDue: true, breakDueAt: told?.breakDueAt, bagsPerHour: 0 });
    expect(r.teams).toEqual([expect.objectContaining({ team: 'A', breakDue: ['li.wei'] })]);
    // Only screening officers hear about their own time at the screen.
    expect(lead.workloads).toEqual([]);
  });
});
