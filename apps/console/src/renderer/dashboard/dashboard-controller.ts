/**
 * The dashboard's side of the hub link: flight board, flight updates and officers' load into the
 * store; a flight's bags and report on request. Every push and reply is parsed with its protocol
 * schema first; a bad one is dropped whole.
 */
import type { Socket } from 'socket.io-client';
import { FlightBagsReply, FlightReportReply, PerformanceReportReply, RiskReportReply, type ConsoleToHubEvents, type FlightBoard, type HubToConsoleEvents } from '@clearway/protocol';
import { parsePush } from '../pushes.ts';
import { useSession } from '../session-store.ts';
import { receiveBags, receiveBoard, receiveOfficers, receiveUpdate, resetDashboard, useDashboard } from './dashboard-store.ts';
import { periodQuery, type PerformancePeriod } from './performance-model.ts';
import { resetPerformance, usePerformance } from './performance-store.ts';
import { resetRiskReport, useRiskReport } from './risk-store.ts';

type ConsoleSocket = Socket<HubToConsoleEvents, ConsoleToHubEvents>;

/** A report of a long flight takes the hub a moment; past this the hub itself is not answering. */
const REQUEST_TIMEOUT_MS = 15_000;

export class DashboardController {
  constructor(private readonly socket: ConsoleSocket) {
    socket.on('flight:board', (raw) => {
      const board = parsePush('flight:board', raw);
      if (!board) return;
      receiveBoard(board);
      this.seedHistories(board);
    });
    socket.on('flight:update', (raw) => {
      const push = parsePush('flight:update', raw);
      if (push) receiveUpdate(push);
    });
    socket.on('officers:status', (raw) => {
      const status = parsePush('officers:status', raw);
      if (status) receiveOfficers(status);
    });
    // Another officer on this console starts from a clean dashboard.
    useSession.subscribe((s, prev) => {
      if (s.officer?.id !== prev.officer?.id) {
        resetDashboard();
        resetPerformance();
        resetRiskReport();
      }
    });
  }

  /** A flight's bags, for its detail view (and the burn-down the console missed). */
  loadBags(flightId: string): void {
    useDashboard.setState((s) => ({ bags: { ...s.bags, [flightId]: { phase: 'loading', data: s.bags[flightId]?.data ?? null, error: null } } }));
    this.socket.timeout(REQUEST_TIMEOUT_MS).emit('flight:bags', { flightId }, (error, raw) => {
      const reply = error ? null : FlightBagsReply.safeParse(raw);
      if (reply?.success && reply.data.ok) return receiveBags(flightId, reply.data.bags, reply.data.truncated);
      const why = error ? 'the hub did not answer' : reply?.success === false ? 'the hub sent an unreadable reply' : reply?.data.ok === false ? reply.data.error.message : 'unknown';
      useDashboard.setState((s) => ({ bags: { ...s.bags, [flightId]: { phase: 'failed', data: s.bags[flightId]?.data ?? null, error: why } } }));
    });
  }

  /** The flight report as it stands now. */
  loadReport(flightId: string): void {
    useDashboard.setState((s) => ({ reports: { ...s.reports, [flightId]: { phase: 'loading', data: s.reports[flightId]?.data ?? null, error: null } } }));
    this.socket.timeout(REQUEST_TIMEOUT_MS).emit('flight:report', { flightId }, (error, raw) => {
      const reply = error ? null : FlightReportReply.safeParse(raw);
      if (reply?.success && reply.data.ok) {
        const report = reply.data.report;
        useDashboard.setState((s) => ({ reports: { ...s.reports, [flightId]: { phase: 'done', data: report, error: null } } }));
        return;
      }
      const why = error ? 'the hub did not answer' : reply?.success === false ? 'the hub sent an unreadable reply' : reply?.data.ok === false ? reply.data.error.message : 'unknown';
      useDashboard.setState((s) => ({ reports: { ...s.reports, [flightId]: { phase: 'failed', data: s.reports[flightId]?.data ?? null, error: why } } }));
    });
  }

  /** Officers' performance over the period, ending now (performance:report). */
  loadPerformance(period: PerformancePeriod): void {
    usePerformance.setState((s) => ({ period, report: { phase: 'loading', data: s.report?.data ?? null, error: null } }));
    this.socket.timeout(REQUEST_TIMEOUT_MS).emit('performance:report', periodQuery(period, Date.now()), (error, raw) => {
      if (usePerformance.getState().period !== period) return; // another period was asked for since
      const reply = error ? null : PerformanceReportReply.safeParse(raw);
      if (reply?.success && reply.data.ok) {
        const report = reply.data.report;
        usePerformance.setState({ report: { phase: 'done', data: report, error: null } });
        return;
      }
      const why = error ? 'the hub did not answer' : reply?.success === false ? 'the hub sent an unreadable reply' : reply?.data.ok === false ? reply.data.error.message : 'unknown';
      usePerformance.setState((s) => ({ report: { phase: 'failed', data: s.report?.data ?? null, error: why } }));
    });
  }

  /** Risk-selected against randomly selected searches, the hub's default period (risk:report). */
  loadRiskReport(): void {
    useRiskReport.setState((s) => ({ report: { phase: 'loading', data: s.report?.data ?? null, error: null } }));
    this.socket.timeout(REQUEST_TIMEOUT_MS).emit('risk:report', {}, (error, raw) => {
      const reply = error ? null : RiskReportReply.safeParse(raw);
      if (reply?.success && reply.data.ok) {
        const report = reply.data.report;
        useRiskReport.setState({ report: { phase: 'done', data: report, error: null } });
        return;
      }
      const why = error ? 'the hub did not answer' : reply?.success === false ? 'the hub sent an unreadable reply' : reply?.data.ok === false ? reply.data.error.message : 'unknown';
      useRiskReport.setState((s) => ({ report: { phase: 'failed', data: s.report?.data ?? null, error: why } }));
    });
  }

  /** Flights being worked that this console has not watched from their start: rebuild their burn-down once. */
  private seedHistories(board: FlightBoard): void {
    const { seeded } = useDashboard.getState();
    const fresh = board.flights.filter((f) => !seeded[f.key] && [f.clocks.passengers, f.clocks.checkedBags].some((c) => c.state !== 'arriving' && c.done > 0));
    if (fresh.length === 0) return;
    useDashboard.setState((s) => ({ seeded: { ...s.seeded, ...Object.fromEntries(fresh.map((f) => [f.key, true as const])) } }));
    for (const f of fresh) this.loadBags(f.key);
  }
}
