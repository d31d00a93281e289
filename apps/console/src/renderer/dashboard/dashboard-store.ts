/**
 * The shift lead's dashboard on this console: the flight board, each flight's burn-down history,
 * alerts, officers' load, and the flight opened in detail (its bags and report). Pushes arrive
 * here already parsed (dashboard-controller.ts).
 */
import { create } from 'zustand';
import type { FlightBagRow, FlightBoard, FlightBoardEntry, FlightReport, FlightUpdatePush, OfficersStatus } from '@clearway/protocol';
import { useRobots } from '../robots/robot-store.ts';
import {
  CLOCKS, addAlerts, addSample, boardAlerts, boardSamples, breakAlerts, historyFromBags, mergeSamples, updateAlert,
  type DashboardAlert, type FlightHistory,
} from './dashboard-model.ts';

export interface Loaded<T> {
  phase: 'loading' | 'done' | 'failed';
  data: T | null;
  error: string | null;
}

export interface DashboardState {
  /** The officer's choice on this console; null: their role's own (dashboard-view.ts). */
  open: boolean | null;
  boardAt: string | null;
  flights: readonly FlightBoardEntry[];
  history: Readonly<Record<string, FlightHistory>>;
  /** Flights whose history was rebuilt from their bags (once each). */
  seeded: Readonly<Record<string, true>>;
  alerts: readonly DashboardAlert[];
  officers: OfficersStatus | null;
  /** The flight shown in detail; null: all flights. */
  selected: string | null;
  tab: 'bags' | 'report';
  bags: Readonly<Record<string, Loaded<{ bags: FlightBagRow[]; truncated: boolean }>>>;
  reports: Readonly<Record<string, Loaded<FlightReport>>>;
}

export const emptyDashboard: DashboardState = {
  open: null, boardAt: null, flights: [], history: {}, seeded: {}, alerts: [], officers: null, selected: null, tab: 'bags', bags: {}, reports: {},
};

export const useDashboard = create<DashboardState>()(() => emptyDashboard);

export function resetDashboard(): void {
  useDashboard.setState(emptyDashboard);
}

function withSamples(history: DashboardState['history'], flights: readonly FlightBoardEntry[], t: number): DashboardState['history'] {
  const next: Record<string, FlightHistory> = {};
  for (const f of flights) {
    const prior = history[f.key] ?? { passengers: [], checkedBags: [] };
    const samples = boardSamples(f, t);
    const h = { ...prior };
    for (const name of CLOCKS) {
      const s = samples[name];
      if (s) h[name] = [...addSample(prior[name], s)];
    }
    next[f.key] = h;
  }
  return next; // flights that left the board take their history with them
}

export function receiveBoard(board: FlightBoard): void {
  useDashboard.setState((s) => ({
    boardAt: board.at,
    flights: board.flights,
    history: withSamples(s.history, board.flights, Date.parse(board.at)),
    alerts: addAlerts(s.alerts, boardAlerts(board.flights, board.at)),
  }));
}

export function receiveUpdate(push: FlightUpdatePush): void {
  const alert = updateAlert(push);
  useDashboard.setState((s) => {
    const cancelled = push.change.type === 'cancelled';
    const flights = s.flights.some((f) => f.key === push.flight.key)
      ? s.flights.flatMap((f) => (f.key !== push.flight.key ? [f] : cancelled ? [] : [push.flight]))
      : s.flights;
    return { flights, alerts: alert ? addAlerts(s.alerts, [alert]) : s.alerts };
  });
}

export function receiveOfficers(status: OfficersStatus): void {
  useDashboard.setState((s) => ({ officers: status, alerts: addAlerts(s.alerts, breakAlerts(status)) }));
}

/** The flight's bags arrived: shown in detail, and what the console missed of its burn-down rebuilt. */
export function receiveBags(flightId: string, bags: FlightBagRow[], truncated: boolean): void {
  useDashboard.setState((s) => {
    const flight = s.flights.find((f) => f.key === flightId);
    const history = { ...s.history };
    if (flight && !truncated) {
      const rebuilt = historyFromBags(flight, bags);
      const prior = history[flightId] ?? { passengers: [], checkedBags: [] };
      // Live samples win where both have one: they are what the hub said at the time.
      history[flightId] = { passengers: mergeSamples(rebuilt.passengers, prior.passengers), checkedBags: mergeSamples(rebuilt.checkedBags, prior.checkedBags) };
    }
    return { history, bags: { ...s.bags, [flightId]: { phase: 'done', data: { bags, truncated }, error: null } } };
  });
}

export function openFlight(flightId: string | null, tab: DashboardState['tab'] = 'bags'): void {
  useDashboard.setState({ selected: flightId, tab });
}

/** Opens the dashboard (from screening or the robot fleet). */
export function openDashboard(): void {
  useRobots.setState({ view: null });
  useDashboard.setState({ open: true });
}

/** Leaves the dashboard for screening. */
export function closeDashboard(): void {
  useRobots.setState({ view: 'screening' });
  useDashboard.setState({ open: false });
}

// Choosing a workspace in the robot fleet's switch leaves the dashboard.
useRobots.subscribe((state, prev) => {
  if (state.view !== prev.view && state.view !== null) useDashboard.setState({ open: false });
});
