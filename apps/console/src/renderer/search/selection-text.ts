import type { SearchSelection } from '@clearway/protocol';

/**
 * Why the flight's manifest sent the bag to search, for the search officer (the screener was not
 * told): "risk-selected: watch-list hit: +60", "random selection", or both.
 */
export function selectionText(s: SearchSelection): string {
  const parts: string[] = [];
  if (s.riskSelected) parts.push(`risk-selected (score ${Math.round(s.score)}): ${s.reasons.join('; ') || 'no reasons given'}`);
  if (s.randomSelected) parts.push('random selection');
  return parts.join('; also ');
}
