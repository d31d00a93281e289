/** Officers' performance per officer and per team over a period, for the shift lead (performance-model.ts does the work). */
import { useEffect, useMemo } from 'react';
import type { OfficerPerformanceRow, PerformanceFiguresRow, TeamPerformanceRow } from '@clearway/protocol';
import { useController } from '../controller-context.ts';
import { clockTime, duration } from './dashboard-model.ts';
import { useT } from './i18n.ts';
import { LOW_D_PRIME, LOW_HIT_RATE, PERIODS, SORT_KEYS, cells, marks, percent, sortOfficers, sortTeams, type PerformancePeriod, type SortKey } from './performance-model.ts';
import { usePerformance } from './performance-store.ts';

type T = ReturnType<typeof useT>;

function FigureHeads({ t }: { t: T }) {
  return (
    <>
      <th scope="col" className="num">{t('perf.decisions')}</th>
      <th scope="col" className="num">{t('perf.tip')}</th>
      <th scope="col" className="num">{t('perf.hitRate')}</th>
      <th scope="col" className="num">{t('perf.falseAlarms')}</th>
      <th scope="col" className="num">{t('perf.falseAlarmRate')}</th>
      <th scope="col" className="num">{t('perf.dPrime')}</th>
      <th scope="col" className="num">{t('perf.meanTime')}</th>
      <th scope="col" className="num">{t('perf.p95Time')}</th>
      <th scope="col" className="num">{t('perf.bagsPerHour')}</th>
      <th scope="col" className="num">{t('perf.screenTime')}</th>
    </>
  );
}

function FigureCells({ t, row, id }: { t: T; row: PerformanceFiguresRow; id: string }) {
  const c = cells(row);
  const m = marks(row);
  return (
    <>
      <td className="num" data-testid={`perf-decisions-${id}`}>{c.decisions}</td>
      <td className="num">{c.tip}</td>
      <td className={`num${m.lowHitRate ? ' perf-low' : ''}`} data-testid={m.lowHitRate ? `perf-low-hit-rate-${id}` : undefined}
        title={m.lowHitRate ? t('perf.lowHitRate', { limit: percent(LOW_HIT_RATE) }) : undefined}>
        {c.hitRate}
      </td>
      <td className="num">{c.falseAlarms}</td>
      <td className="num">{c.falseAlarmRate}</td>
      <td className={`num${m.lowDPrime ? ' perf-low' : ''}`} data-testid={m.lowDPrime ? `perf-low-dprime-${id}` : undefined}
        title={m.lowDPrime ? t('perf.lowDPrime', { limit: LOW_D_PRIME }) : undefined}>
        {c.dPrime}
      </td>
      <td className="num">{c.meanTime}</td>
      <td className="num">{c.p95Time}</td>
      <td className="num">{c.bagsPerHour}</td>
      <td className="num">{c.screenTime}</td>
    </>
  );
}

function OfficerTable({ t, rows }: { t: T; rows: readonly OfficerPerformanceRow[] }) {
  return (
    <table className="dash-table perf-table" data-testid="perf-officers">
      <thead>
        <tr>
          <th scope="col">{t('perf.officer')}</th>
          <th scope="col">{t('perf.team')}</th>
          <FigureHeads t={t} />
          <th scope="col" className="num">{t('perf.now')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((o) => (
          <tr key={o.officerId} className={o.breakDue ? 'perf-break-due' : undefined} data-testid={`perf-officer-${o.officerId}`}>
            <td>
              {o.name} <span className="dash-muted mono">{o.officerId}</span>
            </td>
            <td>{o.team ?? '—'}</td>
            <FigureCells t={t} row={o} id={o.officerId} />
            <td className="num">
              {o.continuousMs > 0 ? duration(o.continuousMs) : '—'}
              {o.breakDue && <span className="break-due" data-testid={`perf-break-due-${o.officerId}`}>{t('perf.breakDue')}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TeamTable({ t, rows, names }: { t: T; rows: readonly TeamPerformanceRow[]; names: ReadonlyMap<string, string> }) {
  return (
    <table className="dash-table perf-table" data-testid="perf-teams">
      <thead>
        <tr>
          <th scope="col">{t('perf.team')}</th>
          <th scope="col" className="num">{t('perf.members')}</th>
          <FigureHeads t={t} />
          <th scope="col">{t('perf.breakDue')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((team) => (
          <tr key={team.team} className={team.breakDue.length > 0 ? 'perf-break-due' : undefined} data-testid={`perf-team-${team.team}`}>
            <th scope="row">{team.team}</th>
            <td className="num">{team.officers.length}</td>
            <FigureCells t={t} row={team} id={`team-${team.team}`} />
            <td>{team.breakDue.length > 0 ? team.breakDue.map((id) => names.get(id) ?? id).join(', ') : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PerformanceView() {
  const t = useT();
  const controller = useController();
  const period = usePerformance((s) => s.period);
  const sort = usePerformance((s) => s.sort);
  const loaded = usePerformance((s) => s.report);
  const report = loaded?.data ?? null;

  // The period chosen last on this console, asked for again each time the view opens.
  useEffect(() => {
    controller.dashboard.loadPerformance(usePerformance.getState().period);
  }, [controller]);

  const officers = useMemo(() => (report ? sortOfficers(report.officers, sort) : []), [report, sort]);
  const teams = useMemo(() => (report ? sortTeams(report.teams) : []), [report]);
  const names = useMemo(() => new Map((report?.officers ?? []).map((o) => [o.officerId, o.name])), [report]);

  return (
    <section className="perf-view" data-testid="performance" aria-labelledby="perf-title">
      <header className="perf-head">
        <h2 id="perf-title">{t('perf.title')}</h2>
        <label>
          {t('perf.period')}{' '}
          <select data-testid="perf-period" value={period} onChange={(e) => controller.dashboard.loadPerformance(e.target.value as PerformancePeriod)}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>{t(`perf.period.${p}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('perf.sort')}{' '}
          <select data-testid="perf-sort" value={sort} onChange={(e) => usePerformance.setState({ sort: e.target.value as SortKey })}>
            {SORT_KEYS.map((k) => (
              <option key={k} value={k}>{t(`perf.sort.${k}`)}</option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="perf-refresh" disabled={loaded?.phase === 'loading'} onClick={() => controller.dashboard.loadPerformance(period)}>
          {t('perf.refresh')}
        </button>
        <span className="dash-note" data-testid="perf-state">
          {loaded?.phase === 'loading'
            ? t('perf.loading')
            : loaded?.phase === 'failed'
              ? t('perf.failed', { error: loaded.error ?? '' })
              : report
                ? t('perf.range', { from: clockTime(report.from), to: clockTime(report.to), time: clockTime(report.generatedAt) })
                : ''}
        </span>
      </header>
      {report && (
        <>
          <h3>{t('perf.officers')}</h3>
          {officers.length === 0 ? <p className="dash-empty" data-testid="perf-none">{t('perf.none')}</p> : <OfficerTable t={t} rows={officers} />}
          <h3>{t('perf.teams')}</h3>
          {teams.length === 0 ? <p className="dash-empty">{t('perf.noTeams')}</p> : <TeamTable t={t} rows={teams} names={names} />}
          <p className="dash-note">
            {t('perf.legend', { dPrime: LOW_D_PRIME, hitRate: percent(LOW_HIT_RATE), minutes: report.maxContinuousMinutes, rest: report.minBreakMinutes })}
          </p>
        </>
      )}
    </section>
  );
}
