/**
 * Risk-based selection on the hub. The flight feed sends each flight's manifest
 * (`flight:manifest`: passengers and their bag tags); when a scan arrives whose flight and tag
 * are on a manifest, the passenger's facts go through `assessRisk` (@clearway/domain risk.ts) with
 * the configured rules (setting `screening.risk`), and the assessment is stored with the bag
 * (`bag_risk`). Its score raises the bag's place in the screening line (the dispatcher's risk
 * boost); a bag selected by the rules or by the random draw goes to the search station whatever
 * its image shows.
 *
 * What "whatever the image shows" means here: the screening officer still screens the selected
 * bag like any other, and a search decision with marks helps the search; but a clear does not take
 * it off the station's line (store/search.ts). Sending it straight to search would save one
 * screen's time, but the officer's look is still worth having (marks, the machine's boxes), and a
 * cleared bag that the search then finds something in is the only ground truth for misses on real
 * bags. The screening console is told nothing of the selection, the rules' reasons included: a
 * screener who knew would look at the bag differently, which biases both the officer's statistics
 * and the find-rate comparison, and the bag is searched anyway. The search station shows why
 * ("watch-list hit: +60", "random selection"). Each selection is in the audit trail
 * (`bag.selected-for-search`, written with the assessment).
 */
import { randomBytes } from 'node:crypto';
import { assessRisk, linkBagToFlight, selectionReport, type RiskConfig } from '@clearway/domain';
import {
  RiskRules,
  type ErrorBody, type FlightManifest, type Officer, type RiskReportQuery, type RiskSelectionReport,
  type ScanRisk, type SettingValue,
} from '@clearway/protocol';
import type { BagRiskAssessment, Store } from '@clearway/store';
import type { Logger } from 'pino';

const DAY = 24 * 60 * 60_000;
/** The report's period when the shift lead names none. */
export const DEFAULT_REPORT_DAYS = 30;

export interface RiskHubOptions {
  /** The hub's clock (ms since epoch): assessments and reports are stamped with it. */
  now?: () => number;
  /** Seed of the random draw when the setting has none. Default: random at each start. */
  seed?: string;
  /** A flight's manifest was stored (the passengers' clock counts people from it). */
  manifestStored?: (flightKey: string) => void;
}

export class RiskHub {
  private readonly now: () => number;
  private readonly seed: string;
  private config: RiskConfig | null = null;
  private readAt = 0;
  private version = -1;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly options: RiskHubOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.seed = options.seed ?? randomBytes(24).toString('hex');
  }

  /** The rules as configured now (re-read at most once a second, at once after a change through this store). */
  rules(): RiskConfig {
    const wall = Date.now();
    if (this.config && this.version === this.store.settings.version && wall - this.readAt < 1000) return this.config;
    this.readAt = wall;
    this.version = this.store.settings.version;
    let value: SettingValue<'screening.risk'>;
    try {
      value = this.store.settings.effective('screening.risk');
    } catch (err) {
      // A value edited by hand past its schema: the defaults rather than no screening.
      this.log.error({ err }, 'stored setting screening.risk is invalid; using the defaults');
      value = this.store.settings.defaults('screening.risk');
    }
    this.config = RiskRules.parse({ ...value, randomSeed: value.randomSeed ?? this.seed });
    return this.config;
  }

  /**
   * A scan was stored: assesses its bag when the bag's flight has it on a manifest. Returns the
   * stored assessment, or null (no known flight, not on a manifest, already assessed). Never
   * throws: screening goes on without a score.
   */
  bagArrived(bag: { bagId: string; flight: string; bagTag: string; receivedAt: Date }): BagRiskAssessment | null {
    try {
      const candidates = this.store.flights.flightsByNumber(bag.flight)
        .filter((f) => !f.cancelled)
        .map((f) => ({ key: f.key, startsAt: Date.parse(f.actualOnBlock ?? f.estimatedOnBlock ?? f.scheduledOnBlock) }));
      // The flight on the board, else a manifest of this flight number whose service date is the
      // day of the scan or the day before (a manifest may come before the schedule does).
      const key = linkBagToFlight(bag.receivedAt.getTime(), candidates) ?? this.manifestFlightOf(bag);
      if (key === null) return null;
      const passenger = this.store.manifests.passengerOfBag(key, bag.bagTag);
      if (!passenger) return null;
      const a = assessRisk(bag.bagId, passenger.facts, this.rules());
      const assessment = {
        bagId: bag.bagId, flightKey: key, passengerRef: passenger.passengerRef, score: a.score, reasons: a.reasons,
        priorityBoost: a.priorityBoost, riskSelected: a.riskSelected, randomSelected: a.randomSelected,
      };
      const at = new Date(this.now());
      if (!this.store.manifests.recordAssessment(assessment, at)) return null;
      if (a.riskSelected || a.randomSelected) {
        this.log.info({ bagId: bag.bagId, flight: key, score: a.score, riskSelected: a.riskSelected, randomSelected: a.randomSelected }, 'bag selected for search');
      }
      return { ...assessment, assessedAt: at.toISOString() };
    } catch (err) {
      this.log.error({ err, bagId: bag.bagId }, 'could not assess the bag\'s risk; screening goes on without it');
      return null;
    }
  }

  private manifestFlightOf(bag: { flight: string; bagTag: string; receivedAt: Date }): string | null {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const dates = [day(bag.receivedAt.getTime()), day(bag.receivedAt.getTime() - 24 * 3_600_000)];
    const found = this.store.manifests.findBagTag(bag.bagTag).find((m) => dates.some((d) => m.flightKey === `${bag.flight}/${d}`));
    return found?.flightKey ?? null;
  }

  /** The risk the line orders by: the manifest's score where it beats the scanner's own. */
  static lineRisk(scanRisk: ScanRisk | null | undefined, assessment: BagRiskAssessment | null): ScanRisk | null {
    if (!assessment || assessment.score <= (scanRisk?.score ?? 0)) return scanRisk ?? null;
    return { score: assessment.score, reasons: assessment.reasons.map((r) => r.text).slice(0, 20) };
  }

  deviceHandlers(deviceId: string) {
    return {
      'flight:manifest': (manifest: FlightManifest) => {
        const result = this.store.manifests.ingest(deviceId, manifest, new Date(this.now()));
        const knownFlight = this.store.flights.flight(result.flightKey) !== null;
        this.log.info({ deviceId, flight: result.flightKey, passengers: result.passengers, bags: result.bags, replaced: result.replaced, knownFlight }, 'manifest stored');
        this.options.manifestStored?.(result.flightKey);
        return { flightId: result.flightKey, passengers: result.passengers, bags: result.bags, replaced: result.replaced, knownFlight };
      },
    };
  }

  /** Find rate of risk-selected against randomly selected searches, over bags assessed in the period. */
  report(query: RiskReportQuery): RiskSelectionReport {
    const now = this.now();
    const to = query.to ?? new Date(now).toISOString();
    const from = query.from ?? new Date(Date.parse(to) - DEFAULT_REPORT_DAYS * DAY).toISOString();
    const records = this.store.manifests.selectionRecords({ from, to });
    const r = selectionReport(records);
    const group = (g: typeof r.risk) => ({ searches: g.searches, finds: g.finds, rate: g.searches === 0 ? null : g.rate, low: g.low, high: g.high });
    return {
      from: new Date(from).toISOString(), to: new Date(to).toISOString(), generatedAt: new Date(now).toISOString(),
      risk: group(r.risk), random: group(r.random), both: r.both, open: records.filter((x) => x.outcome === null).length,
      difference: r.difference, confidence: r.confidence, randomSelectionRate: this.rules().randomSelectionRate,
    };
  }

  consoleHandlers(officer: Officer) {
    return {
      'risk:report': (query: RiskReportQuery): { report: RiskSelectionReport } | ErrorBody => {
        const report = this.report(query);
        this.log.info({ officerId: officer.id, from: report.from, to: report.to, risk: report.risk.searches, random: report.random.searches }, 'risk selection report');
        return { report };
      },
    };
  }
}
