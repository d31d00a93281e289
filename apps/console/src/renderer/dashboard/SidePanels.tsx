/** Beside the flights: alerts, staffing advice, officers' load and breaks, the queue per lane. */
import { useMemo } from 'react';
import type { ClockName } from '@clearway/protocol';
import { useScreening } from '../screening-store.ts';
import { clockTime, duration, staffingItems } from './dashboard-model.ts';
import { openFlight, useDashboard } from './dashboard-store.ts';
import { useT } from './i18n.ts';

function clockWord(t: ReturnType<typeof useT>, clock: ClockName | undefined): string {
  return clock === 'passengers' ? t('clock.passengers') : t('clock.checkedBags');
}

export function AlertList() {
  const t = useT();
  const alerts = useDashboard((s) => s.alerts);
  return (
    <section className="dash-panel" aria-labelledby="alerts-title" data-testid="alerts">
      <h2 id="alerts-title">{t('alerts.title')}</h2>
      {alerts.length === 0 ? (
        <p className="dash-empty">{t('alerts.none')}</p>
      ) : (
        <ol className="alert-list">
          {alerts.slice(0, 30).map((a) => (
            <li key={a.id} className={`alert alert-${a.kind}`} data-testid="alert" data-kind={a.kind}>
              <time dateTime={a.at}>{clockTime(a.at)}</time>
              {a.kind === 'break-due' ? (
                <span>{t('alert.break-due', { name: a.name ?? '' })}</span>
              ) : (
                <button type="button" className="link-button" title={a.reason ?? undefined} onClick={() => a.flightId && openFlight(a.flightId)}>
                  {t(a.kind === 'at-risk' ? 'alert.at-risk' : 'alert.breached', { flight: a.flight ?? '', clock: clockWord(t, a.clock) })}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function StaffingPanel() {
  const t = useT();
  const flights = useDashboard((s) => s.flights);
  const signedIn = useScreening((s) => s.queueStatus?.officersSignedIn);
  const items = useMemo(() => staffingItems(flights), [flights]);
  return (
    <section className="dash-panel" aria-labelledby="staffing-title" data-testid="staffing">
      <h2 id="staffing-title">{t('staffing.title')}</h2>
      {signedIn !== undefined && <p className="dash-note">{t('staffing.signedIn', { count: signedIn })}</p>}
      {items.length === 0 ? (
        <p className="dash-empty">{t('staffing.none')}</p>
      ) : (
        items.slice(0, 6).map((i) => (
          <details key={`${i.flightId}:${i.clock}`} className={`staffing state-${i.state}`} data-testid={`staffing-${i.clock}-${i.flightId}`}>
            <summary>
              <strong>{i.flight}</strong> {clockWord(t, i.clock)} —{' '}
              {i.advice.officers === null ? t('staffing.impossible') : t('staffing.advice', { officers: i.advice.officers, lanes: i.advice.lanes })}
            </summary>
            <p className="dash-note">{t('staffing.reasoning')}</p>
            <ol className="reasoning" lang="en">
              {i.advice.lines.map((line, n) => (
                <li key={n}>{line}</li>
              ))}
            </ol>
          </details>
        ))
      )}
    </section>
  );
}

const OFFICER_ORDER = { screening: 0, available: 1, 'on-break': 2, 'signed-out': 3 } as const;

export function OfficerPanel() {
  const t = useT();
  const status = useDashboard((s) => s.officers);
  const officers = useMemo(
    () => [...(status?.officers ?? [])].sort((a, b) => OFFICER_ORDER[a.state] - OFFICER_ORDER[b.state] || a.name.localeCompare(b.name)),
    [status],
  );
  return (
    <section className="dash-panel" aria-labelledby="officers-title" data-testid="officers">
      <h2 id="officers-title">{t('officers.title')}</h2>
      {officers.length === 0 ? (
        <p className="dash-empty">{t('officers.none')}</p>
      ) : (
        <table className="dash-table">
          <thead>
            <tr>
              <th scope="col">{t('officers.name')}</th>
              <th scope="col">{t('officers.state')}</th>
              <th scope="col" className="num">{t('officers.lastHour')}</th>
              <th scope="col" className="num">{t('officers.onScreen')}</th>
              <th scope="col">{t('officers.break')}</th>
            </tr>
          </thead>
          <tbody>
            {officers.map((o) => (
              <tr key={o.officerId} data-testid={`officer-${o.officerId}`}>
                <td>{o.name}</td>
                <td>
                  <span className={`officer-state officer-${o.state}`} data-testid={`officer-state-${o.officerId}`}>{t(`officer.${o.state}`)}</span>
                </td>
                <td className="num">{o.bagsLastHour}</td>
                <td className="num">{o.continuousMs > 0 ? duration(o.continuousMs) : '—'}</td>
                <td>
                  {o.breakDue && o.state !== 'on-break' && o.state !== 'signed-out' ? (
                    <span className="break-due" data-testid={`break-due-${o.officerId}`}>{t('officers.breakDue')}</span>
                  ) : o.breakDueAt !== null && o.state !== 'on-break' && o.state !== 'signed-out' ? (
                    <span className="dash-muted">{t('officers.breakAt', { time: clockTime(o.breakDueAt) })}</span>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {status && <p className="dash-note">{t('officers.rule', { minutes: status.maxContinuousMinutes, rest: status.minBreakMinutes })}</p>}
    </section>
  );
}

export function LanePanel() {
  const t = useT();
  const status = useScreening((s) => s.queueStatus);
  const lanes = status?.lanes ?? [];
  return (
    <section className="dash-panel" aria-labelledby="lanes-title" data-testid="lanes">
      <h2 id="lanes-title">{t('lanes.title')}</h2>
      {status && <p className="dash-note">{t('lanes.summary', { count: status.waitingBags, free: status.officersAvailable, signedIn: status.officersSignedIn })}</p>}
      {lanes.length === 0 ? (
        <p className="dash-empty">{t('lanes.none')}</p>
      ) : (
        <table className="dash-table">
          <thead>
            <tr>
              <th scope="col">{t('lanes.lane')}</th>
              <th scope="col" className="num">{t('lanes.waiting')}</th>
              <th scope="col" className="num">{t('lanes.oldest')}</th>
            </tr>
          </thead>
          <tbody>
            {lanes.map((l) => {
              const deepest = Math.max(...lanes.map((x) => x.waiting));
              return (
                <tr key={l.lane} data-testid={`lane-${l.lane}`}>
                  <td>{l.lane}</td>
                  <td className="num">
                    <span className="lane-bar" style={{ width: `${Math.round((l.waiting / deepest) * 100)}%` }} aria-hidden="true" />
                    {l.waiting}
                  </td>
                  <td className="num">{duration(l.oldestWaitMs)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
