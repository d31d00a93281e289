/** Capped exponential backoff with jitter, so that many devices do not resend in lock-step. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay drawn at random either side, 0 to 1. */
  jitter: number;
}

export const DEFAULT_RESEND_BACKOFF: Readonly<Backoff> = { initialMs: 250, maxMs: 8_000, factor: 2, jitter: 0.2 };

/** Delay before attempt `attempt + 1`, after `attempt` failed attempts (1-based). */
export function backoffDelay(attempt: number, backoff: Readonly<Backoff>, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
  const spread = base * Math.min(1, Math.max(0, backoff.jitter));
  return Math.round(Math.min(backoff.maxMs, Math.max(0, base - spread + 2 * spread * random())));
}
