/** One flight on the board: both clocks against target with state, progress and projection, and its burn-down. */
import type { ClearanceClock, ClockName, FlightBoardEntry } from '@clearway/protocol';
import { BurnDownChart } from './BurnDownChart.tsx';
import { clockTime, duration, progress, rate, stateClass, stateLabel, worstState, type FlightHistory } from './dashboard-model.ts';
import { openFlight } from './dashboard-store.ts';
import { useT } from './i18n.ts';

export function StateBadge({ clock, testId }: { clock: Pick<ClearanceClock, 'state' | 'metTarget'>; testId?: string }) {
  const t = useT();
  return (
    <span className={`state-badge ${stateClass(clock)}`} data-testid={testId} data-state={clock.state}>
      <span className="state-mark" aria-hidden="true" />
      {t(stateLabel(clock))}
    </span>
  );
}

function ClockRow({ flight, name, now }: { flight: FlightBoardEntry; name: ClockName; now: number }) {
  const t = useT();
  const c = flight.clocks[name];
  const deadline = Date.parse(c.deadline);
  const start = Date.parse(c.startsAt);
  const share = progress(c);
  const p = c.projection;
  let timing: string;
  if (c.state === 'cleared' && c.clearedAt !== null) timing = t('clock.clearedAt', { time: clockTime(c.clearedAt), minutes: Math.round((Date.parse(c.clearedAt) - start) / 6000) / 10 });
  else if (c.state === 'arriving') timing = t('clock.startsIn', { time: duration(start - now) });
  else if (now > deadline) timing = t('clock.over', { time: duration(now - deadline) });
  else timing = t('clock.left', { time: duration(deadline - now) });
  let projection: string | null = null;
  if (c.state !== 'cleared' && c.state !== 'arriving') {
    if (p === null) projection = t('clock.noProjection');
    else if (p.expectedAt === null) projection = t('clock.projectedNever');
    else {
      projection = `${t('clock.projected', {
        time: clockTime(p.expectedAt), early: p.earliestAt === null ? '—' : clockTime(p.earliestAt), late: p.latestAt === null ? t('clock.latestNever') : clockTime(p.latestAt),
      })} · ${t('clock.rate', { rate: rate(p.ratePerMin) })}`;
    }
  }
  return (
    <div className={`clock-row ${stateClass(c)}`} data-testid={`clock-${name}-${flight.key}`}>
      <div className="clock-head">
        <span className="clock-name">{name === 'passengers' ? t('clock.passengers') : t('clock.checkedBags')}</span>
        {/* How passengers are counted: people on the manifest, or an estimate through their cabin bags. */}
        {c.countedBy && (
          <span className="clock-basis" data-testid={`basis-${name}-${flight.key}`}>
            {c.countedBy === 'manifest' ? t('clock.byManifest') : t('clock.byCabinBags')}
          </span>
        )}
        <StateBadge clock={c} testId={`state-${name}-${flight.key}`} />
        <span className="clock-count" data-testid={`count-${name}-${flight.key}`}>{t('clock.progress', { done: c.done, total: c.total })}</span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={c.total} aria-valuenow={c.done} aria-valuetext={t('clock.progress', { done: c.done, total: c.total })}>
        <div className="progress-fill" style={{ width: `${Math.round(share * 1000) / 10}%` }} />
        {/* Where the work should be by now to finish on target. */}
        {c.state !== 'cleared' && now > start && now < deadline && <div className="progress-pace" style={{ left: `${Math.round(((now - start) / (deadline - start)) * 1000) / 10}%` }} />}
      </div>
      <div className="clock-foot">
        <span className="clock-timing" data-testid={`timing-${name}-${flight.key}`}>{timing}</span>
        <span className="clock-deadline">{t('clock.deadline', { time: clockTime(deadline), minutes: c.targetMinutes })}</span>
        {projection && (
          <span className="clock-projection" title={c.atRiskReason ?? undefined}>
            {projection}
          </span>
        )}
      </div>
    </div>
  );
}

/** `now` moves the countdowns every second; `chartNow`, the chart, in coarser steps. */
export function FlightCard({ flight, history, now, chartNow }: { flight: FlightBoardEntry; history: FlightHistory | undefined; now: number; chartNow: number }) {
  const t = useT();
  const onBlock = flight.clocks.checkedBags.startsAt;
  return (
    <article className={`flight-card edge-${worstState(flight)}`} data-testid={`flight-${flight.key}`} aria-label={flight.flight}>
      <header className="flight-head">
        <h3 className="flight-number">{flight.flight}</h3>
        <span className="flight-facts">
          {t('flight.from', { origin: flight.origin })} · {flight.aircraft}
          {flight.stand ? ` · ${t('flight.stand', { stand: flight.stand })}` : ''}
          {' · '}
          {flight.clocks.checkedBags.onBlockAssumed ? t('flight.onBlockAssumed', { time: clockTime(onBlock) }) : t('flight.onBlock', { time: clockTime(onBlock) })}
        </span>
        <button type="button" className="flight-open" data-testid={`open-${flight.key}`} onClick={() => openFlight(flight.key)}>
          {t('flight.open')}
        </button>
      </header>
      <ClockRow flight={flight} name="passengers" now={now} />
      <ClockRow flight={flight} name="checkedBags" now={now} />
      {flight.clocks.checkedBags.state !== 'arriving' && (
        <BurnDownChart flightId={flight.key} name="checkedBags" clock={flight.clocks.checkedBags} samples={history?.checkedBags ?? []} now={chartNow} />
      )}
    </article>
  );
}
