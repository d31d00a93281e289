/**
 * The demo's passenger manifest for the scanner simulator's flight: the simulator tags bag i of
 * a run with `licencePlate(seed, i, flight)`, so a manifest listing those plates lets `npm start`
 * show risk-based selection and the exit check on the bags it actually scans. Seeded: the same
 * options give the same CSV (the flight-feed adapter's manifest format, one passenger a row).
 */
import { Random, licencePlate, mixSeed } from '@clearway/scanner-sim';

export interface DemoManifestOptions {
  flight: string;
  /** The flight's service date, YYYY-MM-DD. */
  date: string;
  /** The simulator run's seed (scanner-sim --seed; default 1). */
  seed: number;
  /** Checked bags listed: the run's first N plates. */
  bags: number;
  origin: string;
}

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const NAMES = ['WANG/FANG', 'LI/NA', 'ZHANG/WEI', 'SMITH/JOHN', 'GARCIA/MARIA', 'MULLER/ANNA', 'KIM/MINJUN', 'SATO/YUKI', 'NGUYEN/AN', 'SILVA/JOAO'];

/** CSV text: about one passenger per 1.3 bags; a few flagged (a watch-list hit about every 15th) and a few via a simulated high-risk airport, so that the default risk rules select some bags. */
export function demoManifestCsv(o: DemoManifestOptions): string {
  const rng = new Random(mixSeed(o.seed, 0xde30));
  const rows = ['flight,date,passengerRef,name,origin,route,flags,bagTags'];
  let bag = 0;
  let n = 0;
  while (bag < o.bags) {
    n++;
    const count = Math.min(o.bags - bag, rng.next() < 0.3 ? 2 : 1);
    const tags = Array.from({ length: count }, (_, i) => licencePlate(o.seed, bag + i, o.flight));
    bag += count;
    const pnr = Array.from({ length: 6 }, () => LETTERS[Math.floor(rng.next() * LETTERS.length)]).join('');
    const u = rng.next();
    const flags = u < 0.07 ? 'watch-list-hit' : u < 0.12 ? 'cash-declaration;late-check-in' : u < 0.2 ? 'one-way-ticket' : '';
    const via = rng.next() < 0.05 ? 'KBL' : null;
    const route = [o.origin, ...(via ? [via] : []), 'PVG'].join('-');
    rows.push([o.flight, o.date, `${pnr}-1`, NAMES[n % NAMES.length], o.origin, route, flags, tags.join(' ')].join(','));
  }
  return `${rows.join('\n')}\n`;
}
