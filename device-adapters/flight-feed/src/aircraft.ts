/**
 * Aircraft that arrive at an international arrivals hall, with typical two- or three-class seat
 * counts (airline configurations vary by ±10 %), and where they come from.
 */
export interface AircraftModel {
  /** ICAO type designator. */
  type: string;
  /** Seats in a typical configuration: the range airlines fit. */
  seats: readonly [number, number];
  widebody: boolean;
}

export const AIRCRAFT: readonly AircraftModel[] = [
  { type: 'A320', seats: [150, 180], widebody: false },
  { type: 'A20N', seats: [165, 186], widebody: false },
  { type: 'A321', seats: [185, 220], widebody: false },
  { type: 'B738', seats: [160, 189], widebody: false },
  { type: 'B38M', seats: [170, 189], widebody: false },
  { type: 'C919', seats: [158, 168], widebody: false },
  { type: 'A333', seats: [277, 311], widebody: true },
  { type: 'A359', seats: [300, 334], widebody: true },
  { type: 'B789', seats: [254, 296], widebody: true },
  { type: 'B77W', seats: [311, 396], widebody: true },
  { type: 'A388', seats: [489, 560], widebody: true },
];

/** Regional origins (narrowbodies, 1–5 hour sectors) and long-haul ones (widebodies). */
export const REGIONAL_ORIGINS = ['ICN', 'NRT', 'HND', 'KIX', 'HKG', 'MFM', 'TPE', 'BKK', 'SGN', 'MNL', 'KUL', 'SIN', 'ULN', 'VVO'] as const;
export const LONG_HAUL_ORIGINS = ['FRA', 'LHR', 'CDG', 'AMS', 'MUC', 'HEL', 'SVO', 'DXB', 'DOH', 'JFK', 'LAX', 'SFO', 'YVR', 'SYD', 'MEL', 'AKL'] as const;

/** Airlines (IATA codes) that fly into a large Chinese hub, each with a flight number range; the European, Gulf and American ones on long haul only. */
export const AIRLINES: readonly { code: string; numbers: readonly [number, number]; longHaulOnly: boolean }[] = [
  { code: 'CA', numbers: [100, 999], longHaulOnly: false },
  { code: 'MU', numbers: [500, 799], longHaulOnly: false },
  { code: 'CZ', numbers: [300, 699], longHaulOnly: false },
  { code: 'HU', numbers: [400, 499], longHaulOnly: false },
  { code: 'FM', numbers: [800, 899], longHaulOnly: false },
  { code: 'KE', numbers: [800, 899], longHaulOnly: false },
  { code: 'NH', numbers: [900, 999], longHaulOnly: false },
  { code: 'CX', numbers: [300, 399], longHaulOnly: false },
  { code: 'SQ', numbers: [800, 899], longHaulOnly: false },
  { code: 'LH', numbers: [720, 729], longHaulOnly: true },
  { code: 'AF', numbers: [110, 129], longHaulOnly: true },
  { code: 'BA', numbers: [38, 39], longHaulOnly: true },
  { code: 'EK', numbers: [306, 309], longHaulOnly: true },
  { code: 'QR', numbers: [890, 899], longHaulOnly: true },
  { code: 'UA', numbers: [850, 889], longHaulOnly: true },
];
