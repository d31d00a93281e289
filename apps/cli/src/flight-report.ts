// `pnpm clearway flights report FLIGHT [--csv FILE] [--json]`: the flight report the shift lead's
// dashboard shows (timeline, throughput, breaches and their likely causes), from the data folder,
// built by @clearway/domain the way the hub builds it.
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import {
  DEFAULT_POLICY, LINK_EARLY_MS, LINK_LATE_MS, buildFlightReport, flightReportCsv, hhmm,
  type ClearancePolicy, type FlightReport,
} from '@clearway/domain';
import { FlightNumber, type FlightInfo } from '@clearway/protocol';
import type { Store } from '@clearway/store';

type Run = (action: (store: Store) => Promise<void> | void) => Promise<void>;

export interface ReportOptions {
  now: number;
  policy?: ClearancePolicy;
  secondsPerItem?: number;
}

const expected = (f: FlightInfo) => Date.parse(f.actualOnBlock ?? f.estimatedOnBlock ?? f.scheduledOnBlock);

/**
 * The flight a name means: a key ("CA981/2025-06-01") as it is; a number alone, the latest flight
 * with that number on block by `now` (else the next one).
 */
export function findFlight(store: Store, name: string, now: number): FlightInfo | null {
  if (name.includes('/')) return store.flights.flight(name);
  const all = store.flights.flightsByNumber(name).filter((f) => !f.cancelled);
  const past = all.filter((f) => expected(f) <= now).sort((a, b) => expected(b) - expected(a));
  return past[0] ?? all.sort((a, b) => expected(a) - expected(b))[0] ?? null;
}

export function flightReport(store: Store, flight: FlightInfo, o: ReportOptions): FlightReport | null {
  const start = expected(flight);
  const data = store.flightDetail.reportData(flight.key, new Date(start - LINK_EARLY_MS), new Date(start + LINK_LATE_MS));
  return data ? buildFlightReport(data, { now: o.now, policy: o.policy ?? DEFAULT_POLICY, staffing: { ...(o.secondsPerItem ? { secondsPerItem: o.secondsPerItem } : {}) } }) : null;
}

/** The report for people: what a shift lead reads at the end of a bank (times UTC). */
export function reportText(r: FlightReport): string {
  const lines: string[] = [];
  const clock = (name: string, c: FlightReport['clocks']['passengers']) => {
    const result = c.clearedAt === null
      ? `${c.state}, ${c.done}/${c.total} done, deadline ${hhmm(Date.parse(c.deadline))}`
      : `cleared in ${c.minutesToClear} min against ${c.targetMinutes}${c.metTarget ? '' : ' (late)'}`;
    return `  ${name.padEnd(13)} ${result}`;
  };
  lines.push(`${r.flight} from ${r.origin} (${r.aircraft}) ${r.date}, stand ${r.stand ?? '—'}, on block ${hhmm(Date.parse(r.onBlock))}${r.onBlockAssumed ? ' (assumed)' : ''} UTC`);
  lines.push(`${r.complete ? 'Final report' : 'Not cleared yet: the story so far'} (${r.generatedAt})`);
  lines.push(clock('passengers', r.clocks.passengers));
  lines.push(clock('checked bags', r.clocks.checkedBags));
  lines.push(`  bags         ${r.bags.total} seen (${r.bags.checked} checked, ${r.bags.cabin} cabin): ${r.bags.cleared} cleared, ${r.bags.searched} sent to search, ${r.bags.open} not decided`);
  lines.push('', 'Throughput (per 5 min)', '  from   arrived decided  /min officers  checked left  cabin left');
  for (const b of r.throughput) {
    lines.push(`  ${hhmm(Date.parse(b.from))}  ${String(b.arrived).padStart(7)} ${String(b.decided).padStart(7)} ${String(b.perMin).padStart(5)} ${String(b.officers).padStart(8)} ${String(b.checkedRemaining).padStart(13)} ${String(b.cabinRemaining).padStart(11)}`);
  }
  lines.push('', 'Timeline');
  for (const e of r.timeline) lines.push(`  ${hhmm(Date.parse(e.at))}  ${e.text}`);
  lines.push('', r.breaches.length === 0 ? 'No breach' : 'Breaches');
  for (const b of r.breaches) lines.push(`  ${b.clock === 'passengers' ? 'passengers' : 'checked bags'}: deadline ${hhmm(Date.parse(b.deadline))}, ${b.clearedAt === null ? `still open, ${b.lateMinutes} min late` : `cleared ${b.lateMinutes} min late`}, ${b.remainingAtDeadline} left at the deadline`);
  if (r.causes.length > 0) {
    lines.push('', 'Likely causes');
    for (const c of r.causes) lines.push(`  - ${c.text}`);
  }
  return lines.join('\n');
}

function time(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/[zZ]|[+-]\d{2}:?\d{2}$/.test(value)) throw new InvalidArgumentError('expected a timestamp with a zone, e.g. 2025-06-01T06:30:00+08:00');
  return ms;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number above 0');
  return n;
}

function flightName(value: string): string {
  const [number, date] = value.split('/');
  if (!FlightNumber.safeParse(number).success || (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date))) {
    throw new InvalidArgumentError('expected a flight number (CA981) or a flight with its service date (CA981/2025-06-01)');
  }
  return value;
}

/** Adds `flights report` to the `flights` command (flights.ts). */
export function registerFlightReportCommand(program: Command, run: Run): void {
  const flights = program.commands.find((c) => c.name() === 'flights') ?? program.command('flights');
  flights.command('report')
    .description('the flight report: timeline, throughput per 5 minutes, time to clear against target, breaches and their likely causes')
    .argument('<flight>', 'flight number (the latest on block) or number/service date, e.g. CA981/2025-06-01', flightName)
    .option('--csv <file>', 'also write the report as CSV (- for standard output, alone)')
    .option('--json', 'print the report as one JSON object')
    .option('--at <time>', 'the report as it stood at this time', time)
    .option('--passengers-target-min <n>', 'the airport\'s passengers target, as the hub\'s flag (default 30)', positive)
    .option('--checked-bags-target-min <n>', 'the airport\'s checked bags target (default 20)', positive)
    .option('--seconds-per-image <n>', 'an officer\'s time per image, for staffing (default 20)', positive)
    .action((name: string, o: { csv?: string; json?: boolean; at?: number; passengersTargetMin?: number; checkedBagsTargetMin?: number; secondsPerImage?: number }) => run((store) => {
      const now = o.at ?? Date.now();
      const flight = findFlight(store, name, now);
      if (!flight) {
        console.error(`clearway: no flight ${name} in this data folder`);
        process.exitCode = 1;
        return;
      }
      const policy: ClearancePolicy = {
        ...DEFAULT_POLICY,
        targets: { passengersMinutes: o.passengersTargetMin ?? DEFAULT_POLICY.targets.passengersMinutes, checkedBagsMinutes: o.checkedBagsTargetMin ?? DEFAULT_POLICY.targets.checkedBagsMinutes },
      };
      const report = flightReport(store, flight, { now, policy, ...(o.secondsPerImage ? { secondsPerItem: o.secondsPerImage } : {}) });
      if (!report) return;
      if (o.csv === '-') {
        process.stdout.write(flightReportCsv(report));
        return;
      }
      if (o.csv !== undefined) writeFileSync(o.csv, flightReportCsv(report));
      console.log(o.json ? JSON.stringify(report) : reportText(report));
    }));
}
