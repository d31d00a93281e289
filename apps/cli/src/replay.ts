// `pnpm clearway replay SCENARIO.json`: a whole scenario (flights, bags, officers) through the real
// hub at a speed factor, on the scenario's clock, ending with the hub's flight reports as JSON.
// The engine is in apps/hub/src/replay (it starts the hub in this process); see its driver.ts for
// how the same scenario and seed give the same report at any speed.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { percentile } from '@clearway/domain';
// By path: the CLI does not list @clearway/hub among its dependencies yet (see package.json).
import { DEFAULT_LATE_MS, ScenarioError, parseScenario, runReplay, type ReplayResult } from '@clearway/hub/replay';

interface ReplayFlags {
  speed: number;
  seed?: number;
  officers?: number;
  lateMs: number;
  json?: boolean;
  quiet?: boolean;
}

function speedArg(v: string): number {
  if (v === 'max') return Infinity;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a factor above 0 (60 = an hour in a minute), or "max"');
  return n;
}

function wholeArg(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
    return n;
  };
}

export function registerReplayCommand(program: Command): void {
  program.command('replay')
    .description('run a scenario through the real hub (in this process, in-memory store) at a speed factor on the scenario\'s clock; prints the flight reports as JSON, progress on stderr')
    .argument('<scenario>', 'scenario file (JSON); examples in apps/cli/scenarios/')
    .option('--speed <factor>', 'scenario seconds per real second, or "max" (as fast as the hub answers)', speedArg, 60)
    .option('--seed <n>', 'seed for bag times, think times and verdicts (default: the scenario\'s)', wholeArg(0, 2 ** 32 - 1))
    .option('--officers <n>', 'screening officers (default: the scenario\'s)', wholeArg(1, 200))
    .option('--late-ms <ms>', 'an event (feed message, scan, decision, time limit) that starts more than this much scenario time after it was due counts as late', wholeArg(1, 3_600_000), DEFAULT_LATE_MS)
    .option('--json', 'one line of JSON instead of indented JSON')
    .option('--quiet', 'no progress or summary on stderr')
    .action(async (file: string, o: ReplayFlags) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        console.error(`clearway replay: cannot read ${file}: ${(e as Error).message}`);
        process.exitCode = 1;
        return;
      }
      let result: ReplayResult;
      try {
        const scenario = parseScenario(text);
        const say = o.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
        result = await runReplay(scenario, { speed: o.speed, seed: o.seed, officers: o.officers, lateMs: o.lateMs, ...(say ? { progress: say } : {}) });
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        console.error(`clearway replay: ${file}: ${e.message}`);
        process.exitCode = 1;
        return;
      }
      const out = replayOutput(result);
      console.log(o.json ? JSON.stringify(out) : JSON.stringify(out, null, 2));
      if (!o.quiet) for (const line of summary(result)) console.error(line);
      if (result.run.dropped > 0) {
        console.error(`clearway replay: ${result.run.dropped} events dropped: ${result.run.droppedReasons.join('; ')}`);
        process.exitCode = 1;
      }
    });
}

/** The result as printed: everything a scenario and seed determine, and the run's wall-clock figures summarised. */
export function replayOutput(r: ReplayResult) {
  const { decisionRoundTripMs, dashboardLatencyMs, ...run } = r.run;
  const figures = (xs: number[]) => (xs.length === 0 ? null : { n: xs.length, p50: round(percentile(xs, 50)), p99: round(percentile(xs, 99)) });
  return { ...r, run: { ...run, decisionRoundTripMs: figures(decisionRoundTripMs), dashboardLatencyMs: figures(dashboardLatencyMs) } };
}

const round = (x: number) => Math.round(x * 10) / 10;

function summary(r: ReplayResult): string[] {
  const lines: string[] = [''];
  for (const f of r.reports) {
    const clock = (name: 'passengers' | 'checkedBags', words: string) => {
      const c = f.clocks[name];
      const verdict = c.metTarget === null ? c.state : c.metTarget ? 'met' : 'missed';
      return `${words} ${c.minutesToClear === null ? `not cleared (${c.done}/${c.total})` : `cleared in ${c.minutesToClear} min`} (target ${c.targetMinutes}, ${verdict})`;
    };
    lines.push(`${f.flightId}  ${clock('passengers', 'passengers')}; ${clock('checkedBags', 'checked bags')}`);
    lines.push(`  bags ${f.bags.total}: ${f.bags.cleared} cleared, ${f.bags.searched} to search (${f.bags.timeLimit} by the time limit), ${f.bags.open} not decided`);
    lines.push(`  decided per 5 min: ${f.throughput.filter((b) => b.arrived + b.decided > 0).map((b) => `${b.from.slice(11, 16)} ${b.decided}`).join(' · ')}`);
    lines.push(`  breaches: ${f.breaches.length === 0 ? 'none' : f.breaches.map((b) => `${b.clock} ${b.lateMinutes} min late`).join(', ')}`);
    for (const c of f.causes) lines.push(`  cause: ${c.text}`);
  }
  lines.push(`search station: ${r.search.outcomes} outcome${r.search.outcomes === 1 ? '' : 's'} recorded, ${r.search.finds} with something found, ${r.search.waiting} still waiting`);
  lines.push(`peak queue ${r.queue.peakWaiting} bags${r.queue.peakAt ? ` at ${r.queue.peakAt.slice(11, 19)}` : ''}`);
  const out = replayOutput(r).run;
  const scenarioMin = (Date.parse(r.end) - Date.parse(r.start)) / 60_000;
  lines.push(`replay: ${out.speed === 'max' ? 'as fast as the hub answers' : `${out.speed}× real time`}, ${scenarioMin.toFixed(1)} scenario minutes in ${(out.wallMs / 1000).toFixed(1)} s; ` +
    `late events ${out.lateEvents} (over ${out.lateMs} ms, worst ${(out.maxLagMs / 1000).toFixed(1)} s); dropped ${out.dropped}; ` +
    `decision round trip p50 ${out.decisionRoundTripMs?.p50 ?? '-'} ms; dashboard update p50 ${out.dashboardLatencyMs?.p50 ?? '-'} ms p99 ${out.dashboardLatencyMs?.p99 ?? '-'} ms`);
  return lines;
}
