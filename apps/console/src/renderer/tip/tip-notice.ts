/**
 * Threat Image Projection feedback on the screening console: after each decision the hub says
 * whether the bag carried a projected (fictional) threat and whether the officer found it. Never
 * before: nothing on this console can tell a projection from a real bag until then.
 */
import type { TipResult } from '@clearway/protocol';

export interface TipNotice {
  assignmentId: string;
  bagId: string;
  found: boolean;
  text: string;
}

/** e.g. "Projected threat: knife — you found it. The bag comes back without it for your decision." */
export function tipNoticeOf(result: TipResult): TipNotice | null {
  if (!result.projected) return null;
  const found = result.found === true;
  const what = result.item ? `${result.item.class} (${result.item.description})` : 'threat item';
  const head = `Projected threat: ${what} — ${found ? 'you found it' : 'missed'}.`;
  return { assignmentId: result.assignmentId, bagId: result.bagId, found, text: `${head} The bag comes back without it for your decision.` };
}
