import type { QueueStatus } from '@clearway/protocol';
import { waitTime } from './format.ts';

/** The deepest lanes, e.g. "lane-3 7 · lane-1 4"; "—" when nothing waits (or the hub sends no lanes). */
export function busiestLanes(status: QueueStatus, shown = 2): string {
  const lanes = status.lanes ?? [];
  if (lanes.length === 0) return '—';
  return lanes.slice(0, shown).map((l) => `${l.lane} ${l.waiting}`).join(' · ') + (lanes.length > shown ? ` · +${lanes.length - shown}` : '');
}

/** Every lane with its depth and oldest wait, one per line, for the tooltip. */
export function laneDetails(status: QueueStatus): string {
  return (status.lanes ?? []).map((l) => `${l.lane}: ${l.waiting} waiting, oldest ${waitTime(l.oldestWaitMs)}`).join('\n');
}

/** Bags raised above ordinary by their flight's deadline or their risk, e.g. "3 (oldest 45 s)"; "0" when none. */
export function raisedBags(status: QueueStatus): string {
  const raised = (status.byPriority ?? []).filter((p) => p.priority > 0);
  const n = raised.reduce((sum, p) => sum + p.waiting, 0);
  if (n === 0) return '0';
  return `${n} (oldest ${waitTime(Math.max(...raised.map((p) => p.oldestWaitMs)))})`;
}

/** Waiting bags per priority step, one per line, for the tooltip. */
export function priorityDetails(status: QueueStatus): string {
  return (status.byPriority ?? []).map((p) => `priority ${p.priority}: ${p.waiting} waiting, oldest ${waitTime(p.oldestWaitMs)}`).join('\n');
}
