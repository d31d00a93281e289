/**
 * The flight report: time to clear against target, throughput per 5 minutes, timeline, breaches
 * and their likely causes. Export CSV (the same CSV as `clearway flights report --csv`) and a
 * printable page (the print stylesheet shows only this section).
 */
import { flightReportCsv } from '@clearway/domain';
import type { ClockName, FlightReport } from '@clearway/protocol';
import { clockTime as clockTimeSeconds } from '../format.ts';
import { clockTime, duration } from './dashboard-model.ts';
import { StateBadge } from './FlightCard.tsx';
import { useT } from './i18n.ts';
import { causeText, clockWord, timelineText } from './report-text.ts';

function download(name: string, text: string): void {
  // A byte order mark, so that spreadsheets read the file as UTF-8.
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function FlightReportView({ report }: { report: FlightReport }) {
  const t = useT();
  const most = Math.max(1, ...report.throughput.map((b) => b.decided));
  const clock = (name: ClockName) => {
    const c = report.clocks[name];
    return (
      <tr key={name} data-testid={`report-clock-${name}`}>
        <th scope="row">{clockWord(t, name)}</th>
        <td>
          <StateBadge clock={c} />
        </td>
        <td>
          {c.minutesToClear !== null
            ? `${t('report.clearedIn', { minutes: c.minutesToClear, target: c.targetMinutes })}${c.metTarget === false ? ` · ${t('report.late')}` : ''}`
            : t('report.notCleared', { done: c.done, total: c.total, time: clockTime(c.deadline) })}
        </td>
      </tr>
    );
  };
  return (
    <section className="flight-report" data-testid="flight-report" aria-labelledby="report-title">
      <header className="report-head">
        <div>
          <h2 id="report-title">{t('report.title', { flight: report.flight })}</h2>
          <p className="dash-note">
            {report.complete ? t('report.final') : t('report.provisional')} · {t('report.generated', { time: clockTimeSeconds(report.generatedAt) })}
          </p>
          <p>
            {t('flight.from', { origin: report.origin })} · {report.aircraft} · {report.date}
            {report.stand ? ` · ${t('flight.stand', { stand: report.stand })}` : ''}
          </p>
          <p>{t('report.summary', { time: clockTime(report.onBlock), passengers: report.passengers, checked: report.checkedBags })}</p>
        </div>
        <div className="report-actions no-print">
          <button type="button" data-testid="export-csv" onClick={() => download(`${report.flight}-${report.date}-report.csv`, flightReportCsv(report))}>
            {t('report.exportCsv')}
          </button>
          <button type="button" data-testid="print-report" onClick={() => window.print()}>
            {t('report.print')}
          </button>
        </div>
      </header>

      <h3>{t('report.clock')}</h3>
      <table className="dash-table report-clocks">
        <tbody>{(['passengers', 'checkedBags'] as const).map(clock)}</tbody>
      </table>
      <p data-testid="report-bags">
        {t('report.bags', { total: report.bags.total, cleared: report.bags.cleared, searched: report.bags.searched, open: report.bags.open })}
      </p>

      <h3>{t('report.breaches')}</h3>
      {report.breaches.length === 0 ? (
        <p data-testid="report-no-breach">{report.complete ? t('report.noBreach') : t('report.noBreachYet')}</p>
      ) : (
        <ul className="report-breaches">
          {report.breaches.map((b) => (
            <li key={b.clock} data-testid={`report-breach-${b.clock}`}>
              {t('report.breach', { clock: clockWord(t, b.clock), time: clockTime(b.deadline), late: b.lateMinutes, left: b.remainingAtDeadline })}
            </li>
          ))}
        </ul>
      )}
      {(report.breaches.length > 0 || report.causes.length > 0) && (
        <>
          <h4>{t('report.causes')}</h4>
          {report.causes.length === 0 ? (
            <p>{t('report.noCauses')}</p>
          ) : (
            <ul className="report-causes">
              {report.causes.map((c, i) => (
                <li key={i} data-testid="report-cause" data-kind={c.kind}>
                  {causeText(t, c)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}

      <h3>{t('report.throughput')}</h3>
      <table className="dash-table report-throughput" data-testid="report-throughput">
        <thead>
          <tr>
            <th scope="col">{t('report.from')}</th>
            <th scope="col" className="num">{t('report.arrived')}</th>
            <th scope="col" className="num">{t('report.decided')}</th>
            <th scope="col" className="num">{t('report.perMin')}</th>
            <th scope="col" className="num">{t('report.officers')}</th>
            <th scope="col" className="num">{t('report.checkedLeft')}</th>
            <th scope="col" className="num">{t('report.cabinLeft')}</th>
            <th scope="col" className="num">{t('report.wait')}</th>
          </tr>
        </thead>
        <tbody>
          {report.throughput.map((b) => (
            <tr key={b.from}>
              <td>{clockTime(b.from)}</td>
              <td className="num">{b.arrived}</td>
              <td className="num">
                <span className="lane-bar" style={{ width: `${Math.round((b.decided / most) * 100)}%` }} aria-hidden="true" />
                {b.decided}
              </td>
              <td className="num">{b.perMin}</td>
              <td className="num">{b.officers}</td>
              <td className="num">{b.checkedRemaining}</td>
              <td className="num">{b.cabinRemaining}</td>
              <td className="num">{b.meanWaitS === null ? '—' : duration(b.meanWaitS * 1000)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>{t('report.timeline')}</h3>
      <ol className="report-timeline" data-testid="report-timeline">
        {report.timeline.map((e, i) => (
          <li key={i} data-kind={e.kind}>
            <time dateTime={e.at}>{clockTime(e.at)}</time> {timelineText(t, e)}
          </li>
        ))}
      </ol>
    </section>
  );
}
