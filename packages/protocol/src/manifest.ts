import { z } from 'zod';
import { BagTag, Timestamp, replyOf } from './common.ts';
import { AirportCode, FlightRef, MAX_FLIGHT_PASSENGERS } from './flights.ts';
import { RiskFlag } from './screening-rules.ts';

// A flight's passenger manifest: who travels with which bags, and the few facts the risk rules
// read (packages/domain/src/risk.ts). Personal data is kept to what screening needs: a booking
// reference instead of identity documents, a name only where the airline sends one (the search
// officer may have to call the passenger to the bag), no dates of birth or nationalities.

/** Bags one passenger may bring (cabin and checked together). */
export const MAX_BAGS_PER_PASSENGER = 20;

/**
 * The passenger's reference on the manifest: a booking reference (PNR) with the passenger's
 * number in it ("ZX4K2P-1"), or the carrier's passenger ID. Upper-case letters, digits, dashes.
 */
export const PassengerRef = z.string().min(1).max(32).regex(/^[A-Z0-9][A-Z0-9-]*$/, 'upper-case letters, digits and dashes, e.g. ZX4K2P-1');
export type PassengerRef = z.infer<typeof PassengerRef>;

/** One passenger on a manifest. Bag kinds follow the tag as everywhere: ten digits is a checked bag (IATA licence plate), anything else a cabin bag. */
export const ManifestPassenger = z
  .object({
    passengerRef: PassengerRef,
    /** As printed on the boarding pass, where the airline sends it; left out otherwise. */
    name: z.string().trim().min(1).max(100).optional(),
    /** Where the journey began (IATA). */
    origin: AirportCode,
    /** The journey's airports in order: origin, transfers, this airport. */
    route: z.array(AirportCode).min(1).max(12),
    flags: z.array(RiskFlag).max(RiskFlag.options.length).default([]),
    /** Recent trips, as days before this flight (travel pattern); absent when unknown. */
    recentTripsDaysAgo: z.array(z.number().int().min(0).max(3650)).max(100).optional(),
    /** Planned stay in days; null for one-way or unknown. */
    stayDays: z.number().int().min(0).max(3650).nullable().optional(),
    bagTags: z.array(BagTag).max(MAX_BAGS_PER_PASSENGER).default([]),
  })
  .refine((p) => p.route[0] === p.origin, { path: ['route'], message: 'the route starts at the origin' })
  .refine((p) => new Set(p.flags).size === p.flags.length, { path: ['flags'], message: 'each flag at most once' });
export type ManifestPassenger = z.output<typeof ManifestPassenger>;
export type ManifestPassengerInput = z.input<typeof ManifestPassenger>;

/**
 * Flight feed → hub: a flight's manifest (`flight:manifest`). Sending it again replaces that
 * flight's passengers and bags; bags already assessed keep their assessment.
 */
export const FlightManifest = z
  .object({
    ...FlightRef.shape,
    /** When the airline's system issued it. */
    issuedAt: Timestamp.optional(),
    passengers: z.array(ManifestPassenger).max(MAX_FLIGHT_PASSENGERS),
  })
  .superRefine((m, ctx) => {
    const refs = new Map<string, number>();
    const tags = new Map<string, number>();
    m.passengers.forEach((p, i) => {
      if (refs.has(p.passengerRef)) ctx.addIssue({ code: 'custom', path: ['passengers', i, 'passengerRef'], message: `${p.passengerRef} is already passenger ${refs.get(p.passengerRef)}` });
      refs.set(p.passengerRef, i);
      p.bagTags.forEach((t, j) => {
        if (tags.has(t)) ctx.addIssue({ code: 'custom', path: ['passengers', i, 'bagTags', j], message: `bag ${t} already belongs to passenger ${tags.get(t)}` });
        tags.set(t, i);
      });
    });
  });
export type FlightManifest = z.output<typeof FlightManifest>;
export type FlightManifestInput = z.input<typeof FlightManifest>;

export const FlightManifestReply = replyOf({
  /** The hub's key for the flight, "CA981/2025-06-01". */
  flightId: z.string(),
  passengers: z.number().int().min(0),
  bags: z.number().int().min(0),
  /** Passengers of an earlier manifest of the flight that this one replaced. */
  replaced: z.number().int().min(0),
  /** Whether the flight feed has sent this flight yet (a manifest may come first; it waits). */
  knownFlight: z.boolean(),
});
export type FlightManifestReply = z.infer<typeof FlightManifestReply>;

// ---- risk:report: find rate of risk-selected against randomly selected searches -------------------

/** Shift lead → hub: the selection report over a period (default: the last 30 days). */
export const RiskReportQuery = z
  .object({ from: Timestamp.optional(), to: Timestamp.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'to is before from' });
export type RiskReportQuery = z.infer<typeof RiskReportQuery>;

const Rate = z.number().min(0).max(1);
export const SelectionGroupView = z.object({
  searches: z.number().int().min(0),
  finds: z.number().int().min(0),
  /** Finds per search; null without searches (the interval is then 0..1). */
  rate: Rate.nullable(),
  low: Rate,
  high: Rate,
});
export type SelectionGroupView = z.infer<typeof SelectionGroupView>;

export const RiskSelectionReport = z.object({
  from: Timestamp,
  to: Timestamp,
  generatedAt: Timestamp,
  risk: SelectionGroupView,
  random: SelectionGroupView,
  /** Searched bags selected both ways (counted in each group). */
  both: z.number().int().min(0),
  /** Selected bags whose search has no outcome yet (left out of the rates). */
  open: z.number().int().min(0),
  difference: z.object({ value: z.number(), low: z.number(), high: z.number() }).nullable(),
  confidence: z.number().gt(0).lt(1),
  /** The configured share of bags picked at random now. */
  randomSelectionRate: Rate,
});
export type RiskSelectionReport = z.infer<typeof RiskSelectionReport>;
export const RiskReportReply = replyOf({ report: RiskSelectionReport });
export type RiskReportReply = z.infer<typeof RiskReportReply>;

/** Why a bag that the screener may have cleared is at the search station: the manifest's risk rules, or the random draw. */
export const SearchSelection = z.object({
  riskSelected: z.boolean(),
  randomSelected: z.boolean(),
  score: z.number().min(0).max(100),
  /** e.g. "watch-list hit: +60". */
  reasons: z.array(z.string().min(1).max(200)).max(50),
});
export type SearchSelection = z.infer<typeof SearchSelection>;
