/**
 * The standard normal distribution's inverse CDF (the z-score of a probability), for d′ and
 * confidence intervals. Peter J. Acklam's rational approximation: relative error below
 * 1.15e-9 over the whole open interval (0, 1), no iteration, no library.
 */

// Coefficients of the central and tail rational functions (Acklam, 2003).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** z such that P(Z ≤ z) = p for a standard normal Z. ±Infinity at 0 and 1, NaN outside [0, 1]. */
export function inverseNormalCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

export interface ProportionInterval {
  /** Observed proportion; NaN when n = 0. */
  rate: number;
  low: number;
  high: number;
}

/**
 * Wilson score interval for a proportion (successes out of n) at the given confidence (default
 * 95 %). Unlike the plain ±z·SE interval it stays inside [0, 1] and behaves at 0 and n successes.
 * With n = 0 the data say nothing: [0, 1].
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): ProportionInterval {
  if (n === 0) return { rate: Number.NaN, low: 0, high: 1 };
  const z = inverseNormalCdf(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
