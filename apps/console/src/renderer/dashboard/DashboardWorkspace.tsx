/**
 * The shift lead's dashboard: every active flight with its two clocks and burn-down on the left;
 * alerts, staffing advice, officers' load and breaks, and the queue per lane on the right. A
 * flight's bags and report open in its detail view.
 */
import { Header } from '../Header.tsx';
import { clockTime } from './dashboard-model.ts';
import { useDashboard } from './dashboard-store.ts';
import { FlightCard } from './FlightCard.tsx';
import { FlightDetail } from './FlightDetail.tsx';
import { useLang, useT } from './i18n.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { PerformanceView } from './PerformanceView.tsx';
import { showPerformance, usePerformance } from './performance-store.ts';
import { AlertList, LanePanel, OfficerPanel, StaffingPanel } from './SidePanels.tsx';
import { RiskSelectionPanel } from './RiskSelectionPanel.tsx';
import { useNow } from './use-now.ts';
import './dashboard.css';

/** Charts move on with time in steps this long (a redraw per flight each step). */
const CHART_STEP_MS = 5000;

export function DashboardWorkspace() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const now = useNow(1000);
  const chartNow = Math.floor(now / CHART_STEP_MS) * CHART_STEP_MS;
  const boardAt = useDashboard((s) => s.boardAt);
  const flights = useDashboard((s) => s.flights);
  const history = useDashboard((s) => s.history);
  const selected = useDashboard((s) => s.selected);
  const view = usePerformance((s) => s.view);

  return (
    <div className="workspace dashboard-workspace" data-testid="dashboard" lang={lang}>
      <Header />
      <div className="dash-bar no-print">
        <h1>{t('dashboard.title')}</h1>
        <span className="dash-note" data-testid="board-at">
          {boardAt ? t('dashboard.updated', { time: clockTime(boardAt) }) : t('dashboard.waiting')}
        </span>
        <div className="view-switch" role="group" aria-label={t('perf.views')}>
          <button type="button" aria-pressed={view === 'flights'} data-testid="view-flights" onClick={() => showPerformance(false)}>
            {t('perf.flights')}
          </button>
          <button type="button" aria-pressed={view === 'performance'} data-testid="view-performance" onClick={() => showPerformance(true)}>
            {t('perf.open')}
          </button>
        </div>
        <LanguageSwitch />
      </div>
      {view === 'performance' && (
        <main className="dash-main dash-main-detail">
          <PerformanceView />
        </main>
      )}
      {view === 'flights' && (selected ? (
        <main className="dash-main dash-main-detail">
          <FlightDetail key={selected} flightId={selected} now={chartNow} />
        </main>
      ) : (
        <main className="dash-main">
          <section className="dash-flights" aria-labelledby="flights-title" data-testid="flights">
            <h2 id="flights-title" className="visually-hidden">
              {t('dashboard.flights')}
            </h2>
            {boardAt === null ? (
              <p className="dash-empty">{t('dashboard.waiting')}</p>
            ) : flights.length === 0 ? (
              <p className="dash-empty" data-testid="no-flights">{t('dashboard.noFlights')}</p>
            ) : (
              flights.map((f) => <FlightCard key={f.key} flight={f} history={history[f.key]} now={now} chartNow={chartNow} />)
            )}
          </section>
          <aside className="dash-side">
            <AlertList />
            <StaffingPanel />
            <OfficerPanel />
            <LanePanel />
            <RiskSelectionPanel />
          </aside>
        </main>
      ))}
    </div>
  );
}
