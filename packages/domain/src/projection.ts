/**
 * When will a flight's remaining bags (or passengers) be done, judging by the throughput seen so
 * far? Pure: completion times in, a projection with its uncertainty out, recomputed on every event.
 *
 * Method. Completions are treated as a Poisson process whose rate drifts (officers come and go,
 * unloading speeds up): each completion is weighted by exp(−age/τ), so the last few minutes count
 * most. The rate is the weighted count over the equally weighted exposure time since the first
 * completion (which only marks when work began, and is not counted):
 *
 *   λ = Σ wᵢ / ∫ w(s) ds,   wᵢ = exp(−(now − tᵢ)/τ),   ∫ over [t₀, now] = τ (1 − exp(−(now − t₀)/τ))
 *
 * Its uncertainty comes from the Poisson interval of the count, taken at the weighted sample's
 * effective size n = (Σw)² / Σw² (Wilson–Hilferty bounds), so the band narrows as evidence grows;
 * when completions dry up, the rate itself decays towards 0 and the finish recedes. The completion
 * time is now + remaining / λ; the band runs from remaining / λ_high (earliest) to
 * remaining / λ_low (latest; never, when λ_low is 0).
 * The band covers the rate's uncertainty only, not the randomness of the remaining items, which
 * matters little until the last few.
 */
import { inverseNormalCdf } from './normal.ts';

export interface ProjectionOptions {
  /** τ of the exponential weighting: completions this much older count e times less. Default 5 minutes. */
  timeConstantMs: number;
  /** Two-sided confidence of the band. Default 0.8: earliest and latest are the 10th and 90th percentiles. */
  confidence: number;
  /** Completions needed (besides the first) before projecting at all. Default 5. */
  minCompletions: number;
}

export const DEFAULT_PROJECTION: ProjectionOptions = { timeConstantMs: 5 * 60_000, confidence: 0.8, minCompletions: 5 };

export interface Projection {
  /** Completions counted (all after the first). */
  completions: number;
  /** Effective number of completions behind the rate after weighting: what the band rests on. */
  effectiveCompletions: number;
  /** Items per minute: the estimate and its band. */
  ratePerMin: number;
  rateLowPerMin: number;
  rateHighPerMin: number;
  /** Projected completion (ms since epoch): median, and the band's ends. `latestAt` is Infinity when the low rate is 0. */
  expectedAt: number;
  earliestAt: number;
  latestAt: number;
}

/**
 * Projects when `remaining` items will be done from the completion times seen so far (ms since
 * epoch, any order; those after `now` are ignored). Null until `minCompletions` completions exist.
 */
export function projectCompletion(
  completionTimes: readonly number[],
  remaining: number,
  now: number,
  options: Partial<ProjectionOptions> = {},
): Projection | null {
  const { timeConstantMs: tau, confidence, minCompletions } = { ...DEFAULT_PROJECTION, ...options };
  if (!(tau > 0)) throw new RangeError(`timeConstantMs must be above 0, got ${tau}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must lie between 0 and 1, got ${confidence}`);
  const seen = completionTimes.filter((t) => t <= now);
  if (seen.length < minCompletions + 1) return null;
  const first = Math.min(...seen);
  let sum = 0;
  let sumSquares = 0;
  let skippedFirst = false;
  for (const t of seen) {
    if (t === first && !skippedFirst) {
      skippedFirst = true;
      continue;
    }
    const w = Math.exp(-(now - t) / tau);
    sum += w;
    sumSquares += w * w;
  }
  const exposureMs = tau * (1 - Math.exp(-(now - first) / tau));
  if (!(exposureMs > 0) || sum === 0) return null;
  const rate = sum / exposureMs; // items per ms
  const n = (sum * sum) / sumSquares;
  const z = inverseNormalCdf(1 - (1 - confidence) / 2);
  const rateLow = (rate * poissonLower(n, z)) / n;
  const rateHigh = (rate * poissonUpper(n, z)) / n;
  const left = Math.max(0, remaining);
  const at = (r: number) => (left === 0 ? now : r > 0 ? now + left / r : Infinity);
  return {
    completions: seen.length - 1,
    effectiveCompletions: n,
    ratePerMin: rate * 60_000,
    rateLowPerMin: rateLow * 60_000,
    rateHighPerMin: rateHigh * 60_000,
    expectedAt: at(rate),
    earliestAt: at(rateHigh),
    latestAt: at(rateLow),
  };
}

/** Lower bound of a Poisson mean given a count n (Wilson–Hilferty); 0 for n = 0. */
export function poissonLower(n: number, z: number): number {
  if (n <= 0) return 0;
  return n * Math.max(0, 1 - 1 / (9 * n) - z / (3 * Math.sqrt(n))) ** 3;
}

/** Upper bound of a Poisson mean given a count n (Wilson–Hilferty). */
export function poissonUpper(n: number, z: number): number {
  const m = n + 1;
  return m * (1 - 1 / (9 * m) + z / (3 * Math.sqrt(m))) ** 3;
}
