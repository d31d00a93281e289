/** One flight in detail: both burn-downs, its bags and their states, its report. */
import { useEffect } from 'react';
import type { FlightBagRow } from '@clearway/protocol';
import { useController } from '../controller-context.ts';
import { clockTime } from '../format.ts';
import { BurnDownChart } from './BurnDownChart.tsx';
import { openFlight, useDashboard } from './dashboard-store.ts';
import { StateBadge } from './FlightCard.tsx';
import { FlightReportView } from './FlightReportView.tsx';
import { useT } from './i18n.ts';

/** Rows drawn at once; the count says how many there are. */
const ROWS_SHOWN = 2000;

function BagTable({ bags }: { bags: readonly FlightBagRow[] }) {
  const t = useT();
  return (
    <table className="dash-table bag-table" data-testid="flight-bags">
      <thead>
        <tr>
          <th scope="col">{t('bag.tag')}</th>
          <th scope="col">{t('bag.kind')}</th>
          <th scope="col">{t('bag.lane')}</th>
          <th scope="col">{t('bag.state')}</th>
          <th scope="col">{t('bag.officer')}</th>
          <th scope="col">{t('bag.received')}</th>
          <th scope="col">{t('bag.decided')}</th>
        </tr>
      </thead>
      <tbody>
        {bags.slice(0, ROWS_SHOWN).map((b) => (
          <tr key={b.bagId} data-testid="flight-bag" data-tag={b.bagTag} data-state={b.state}>
            <td className="mono">{b.bagTag}</td>
            <td>{b.kind === 'checked' ? t('bag.checked') : t('bag.cabin')}</td>
            <td>{b.lane}</td>
            <td>
              <span className={`bag-state bag-${b.state}`}>{t(`bagState.${b.state}`)}</span>
              {b.madeBy === 'time-limit' && <span className="dash-muted"> ({t('bag.timeLimit')})</span>}
            </td>
            <td>{b.officerId ?? '—'}</td>
            <td className="num">{clockTime(b.receivedAt)}</td>
            <td className="num">{b.decidedAt === null ? '—' : clockTime(b.decidedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FlightDetail({ flightId, now }: { flightId: string; now: number }) {
  const t = useT();
  const controller = useController();
  const flight = useDashboard((s) => s.flights.find((f) => f.key === flightId));
  const history = useDashboard((s) => s.history[flightId]);
  const tab = useDashboard((s) => s.tab);
  const bags = useDashboard((s) => s.bags[flightId]);
  const report = useDashboard((s) => s.reports[flightId]);

  useEffect(() => {
    if (tab === 'bags') controller.dashboard.loadBags(flightId);
    else controller.dashboard.loadReport(flightId);
  }, [controller, flightId, tab]);

  const loaded = tab === 'bags' ? bags : report;
  const refresh = () => (tab === 'bags' ? controller.dashboard.loadBags(flightId) : controller.dashboard.loadReport(flightId));
  return (
    <section className="flight-detail" data-testid="flight-detail" aria-labelledby="detail-title">
      <header className="detail-head no-print">
        <button type="button" data-testid="detail-back" onClick={() => openFlight(null)}>
          ← {t('detail.back')}
        </button>
        <h2 id="detail-title">
          {flight ? `${flight.flight} · ${t('flight.from', { origin: flight.origin })}` : flightId}
        </h2>
        {flight && (
          <>
            <span className="clock-name">{t('clock.passengers')}</span>
            <StateBadge clock={flight.clocks.passengers} />
            <span className="clock-name">{t('clock.checkedBags')}</span>
            <StateBadge clock={flight.clocks.checkedBags} />
          </>
        )}
        <div className="detail-tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'bags'} data-testid="tab-bags" onClick={() => openFlight(flightId, 'bags')}>
            {t('detail.bags')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'report'} data-testid="tab-report" onClick={() => openFlight(flightId, 'report')}>
            {t('detail.report')}
          </button>
          <button type="button" data-testid="detail-refresh" onClick={refresh} disabled={loaded?.phase === 'loading'}>
            {t('detail.refresh')}
          </button>
        </div>
      </header>
      {flight && flight.clocks.checkedBags.state !== 'arriving' && (
        <div className="detail-charts no-print">
          <BurnDownChart flightId={flightId} name="passengers" clock={flight.clocks.passengers} samples={history?.passengers ?? []} now={now} height={150} />
          <BurnDownChart flightId={flightId} name="checkedBags" clock={flight.clocks.checkedBags} samples={history?.checkedBags ?? []} now={now} height={150} />
        </div>
      )}
      <div className="detail-body">
        {loaded?.phase === 'failed' && (
          <p className="notice" role="alert">
            {t('detail.failed', { error: loaded.error ?? '' })}
          </p>
        )}
        {!loaded?.data && loaded?.phase !== 'failed' && <p className="dash-empty">{t('detail.loading')}</p>}
        {tab === 'bags' && bags?.data && (
          <>
            <p className="dash-note" data-testid="bag-count">
              {t('detail.count', { count: bags.data.bags.length })}
              {bags.data.truncated || bags.data.bags.length > ROWS_SHOWN ? ` · ${t('detail.truncated', { count: Math.min(ROWS_SHOWN, bags.data.bags.length) })}` : ''}
            </p>
            {bags.data.bags.length === 0 ? <p className="dash-empty">{t('detail.noBags')}</p> : <BagTable bags={bags.data.bags} />}
          </>
        )}
        {tab === 'report' && report?.data && <FlightReportView report={report.data} />}
      </div>
    </section>
  );
}
