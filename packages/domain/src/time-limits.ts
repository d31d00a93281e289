/**
 * The decision time window for a bag on an officer's screen. Facts page (a vendor's TIP
 * settings): with the belt moving the officer has 1 to 10 s (configurable); the belt may then
 * stop for 0 to 45 s more. A bag still undecided after both is taken back: given to another
 * officer, or sent to search, as configured. Pure function of (assignment start, now, config).
 */

export interface DecisionWindowConfig {
  /** Time to decide while the belt moves, 1..10 s. */
  beltMovingS: number;
  /** Extra time with the belt stopped, 0..45 s; 0: the belt never stops for a decision. */
  beltStoppedS: number;
  /** What an expired window does: give the bag to another officer, or send it to search. */
  onExpiry: 'reassign' | 'search';
  /** With 'reassign': after this many reassignments the bag goes to search instead. */
  maxReassignments: number;
}

/** Defaults: the whole moving window, 20 s stopped (about level 2's 20 s per bag), and search on expiry: an undecided bag is never cleared. */
export const DEFAULT_TIME_LIMITS: DecisionWindowConfig = { beltMovingS: 10, beltStoppedS: 20, onExpiry: 'search', maxReassignments: 1 };

export type DecisionWindowAction =
  /** The officer still has time with the belt moving. */
  | 'none'
  /** The moving window is over: stop the lane's belt and keep waiting. */
  | 'stop-belt'
  /** Both windows are over: take the bag back and give it to another officer. */
  | 'reassign'
  /** Both windows are over: send the bag to the search station. */
  | 'send-to-search';

export interface DecisionWindow {
  phase: 'belt-moving' | 'belt-stopped' | 'expired';
  action: DecisionWindowAction;
  /** ms since epoch. */
  beltStopsAt: number;
  expiresAt: number;
  /** Until the end of the current phase; 0 once expired. */
  msLeft: number;
}

/**
 * Where an assignment stands at `now`. `reassignments`: how often the bag was already taken back
 * for running out of time (a bag nobody decides must not go round for ever).
 */
export function decisionWindow(assignedAt: number, now: number, limits: DecisionWindowConfig, reassignments = 0): DecisionWindow {
  const beltStopsAt = assignedAt + limits.beltMovingS * 1000;
  const expiresAt = beltStopsAt + limits.beltStoppedS * 1000;
  if (now < beltStopsAt) return { phase: 'belt-moving', action: 'none', beltStopsAt, expiresAt, msLeft: beltStopsAt - now };
  if (now < expiresAt) return { phase: 'belt-stopped', action: 'stop-belt', beltStopsAt, expiresAt, msLeft: expiresAt - now };
  const reassign = limits.onExpiry === 'reassign' && reassignments < limits.maxReassignments;
  return { phase: 'expired', action: reassign ? 'reassign' : 'send-to-search', beltStopsAt, expiresAt, msLeft: 0 };
}
