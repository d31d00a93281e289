import { mixSeed } from './prng.ts';

/** IATA three-digit airline accounting codes for a few carriers; others get a stable made-up code. */
const AIRLINE_CODES: Readonly<Record<string, string>> = {
  CA: '999',
  MU: '781',
  CZ: '784',
  HU: '880',
  LH: '220',
  BA: '125',
  AF: '057',
  KL: '074',
  EK: '176',
  QR: '157',
  SQ: '618',
  CX: '160',
  AA: '001',
  DL: '006',
  UA: '016',
};

/**
 * The 10-digit IATA licence plate printed on a checked-bag tag: a leading 0 (ordinary tag),
 * the airline's three-digit code, a six-digit serial. Serials run on from a seed-derived start,
 * so a run's tags are unique for its first million bags and the same on every run with that seed.
 */
export function licencePlate(seed: number, index: number, flight: string): string {
  const airline = flight.slice(0, 2);
  const code = AIRLINE_CODES[airline] ?? String(100 + (mixSeed(airline.charCodeAt(0), airline.charCodeAt(1) || 0) % 900));
  const serial = (mixSeed(seed, 0x7a6) % 1_000_000 + index) % 1_000_000;
  return `0${code}${String(serial).padStart(6, '0')}`;
}
