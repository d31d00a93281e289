/**
 * Pure rules of the search station: the line of flagged bags (oldest first) kept from the hub's
 * `search:queue` pushes, the bag on screen, and the outcome the officer is putting together.
 */
import type { Detection, SearchBag, SearchOutcomeKind, SearchOutcomeSubmit, ThreatClass } from '@clearway/protocol';
import { NOTE_MAX_CHARS } from '@clearway/protocol';
import { stepThrough } from '../list-selection.ts';

/** How many bags recorded here are remembered, so a late 'added' push cannot bring one back. */
const RECORDED_MEMORY = 500;

export interface SearchLine {
  /** Waiting for an outcome, in order of arrival at the station (the search decision's time). */
  readonly bags: readonly SearchBag[];
  /** Bags whose outcome this console recorded (most recent last). */
  readonly recorded: readonly string[];
  /** False until the hub's first snapshot. */
  readonly received: boolean;
}

export const emptyLine: SearchLine = { bags: [], recorded: [], received: false };

type Push =
  | { kind: 'snapshot'; bags: readonly SearchBag[] }
  | { kind: 'added'; bag: SearchBag }
  | { kind: 'removed'; bagId: string };

const byArrival = (a: SearchBag, b: SearchBag) => Date.parse(a.flaggedAt) - Date.parse(b.flaggedAt);

export function applyPush(line: SearchLine, push: Push): SearchLine {
  const fresh = (bag: SearchBag) => !line.recorded.includes(bag.bag.bagId);
  switch (push.kind) {
    case 'snapshot':
      return { ...line, received: true, bags: push.bags.filter(fresh).sort(byArrival) };
    case 'added':
      if (!fresh(push.bag) || line.bags.some((b) => b.bag.bagId === push.bag.bag.bagId)) return line;
      return { ...line, bags: [...line.bags, push.bag].sort(byArrival) };
    case 'removed':
      return { ...line, bags: line.bags.filter((b) => b.bag.bagId !== push.bagId) };
  }
}

/** The outcome is on its way: the bag leaves this screen at once. */
export function markRecorded(line: SearchLine, bagId: string): SearchLine {
  return { ...line, bags: line.bags.filter((b) => b.bag.bagId !== bagId), recorded: [...line.recorded, bagId].slice(-RECORDED_MEMORY) };
}

/** The bag on screen: the one selected while it is in the line, else the oldest. */
export function selectedBag(line: SearchLine, selected: string | null): SearchBag | undefined {
  return line.bags.find((b) => b.bag.bagId === selected) ?? line.bags[0];
}

/** ↑ / ↓ through the line, stopping at its ends. */
export function moveSelection(line: SearchLine, selected: string | null, delta: 1 | -1): string | null {
  return stepThrough(line.bags.map((b) => b.bag.bagId), selected, delta);
}

/** What the officer has chosen for the bag on screen. */
export interface OutcomeDraft {
  readonly outcome: SearchOutcomeKind | null;
  readonly threatClass: ThreatClass | null;
  readonly note: string;
}

export const emptyDraft: OutcomeDraft = { outcome: null, threatClass: null, note: '' };

/** 1 / 2 / 3: a class chosen before stays only with 'threat found'. */
export function chooseOutcome(draft: OutcomeDraft, outcome: SearchOutcomeKind): OutcomeDraft {
  return { ...draft, outcome, threatClass: outcome === 'threat-found' ? draft.threatClass : null };
}

export function chooseClass(draft: OutcomeDraft, threatClass: ThreatClass): OutcomeDraft {
  return { ...draft, outcome: 'threat-found', threatClass };
}

export function withNote(draft: OutcomeDraft, note: string): OutcomeDraft {
  return { ...draft, note: note.slice(0, NOTE_MAX_CHARS) };
}

/** Why Enter cannot confirm yet, or null when it can. */
export function missing(draft: OutcomeDraft): string | null {
  if (draft.outcome === null) return 'Choose the outcome: 1 threat found, 2 other contraband, 3 nothing found';
  if (draft.outcome === 'threat-found' && draft.threatClass === null) return 'Choose what was found';
  return null;
}

/** The `search:outcome` payload for the bag, or null while something is missing. */
export function outcomePayload(draft: OutcomeDraft, bagId: string, idempotencyKey: string, recordedAtMs: number): SearchOutcomeSubmit | null {
  if (missing(draft) !== null || draft.outcome === null) return null;
  const note = draft.note.trim();
  return {
    idempotencyKey, bagId, outcome: draft.outcome,
    ...(draft.outcome === 'threat-found' && draft.threatClass ? { threatClass: draft.threatClass } : {}),
    ...(note ? { note } : {}),
    recordedAt: new Date(recordedAtMs).toISOString(),
  };
}

export const OUTCOME_NAMES: Readonly<Record<SearchOutcomeKind, string>> = {
  'threat-found': 'Threat found',
  'other-contraband': 'Other contraband',
  'nothing-found': 'Nothing found',
};

/** e.g. "threat found: knife", "nothing found". */
export function outcomeText(outcome: SearchOutcomeKind, threatClass?: ThreatClass | null): string {
  const name = OUTCOME_NAMES[outcome].toLowerCase();
  return outcome === 'threat-found' && threatClass ? `${name}: ${threatClass}` : name;
}

/**
 * The machine's boxes to draw on a flagged bag: the scanner's own, then each console model's,
 * labelled "AI" and with what the screener made of the box when they said.
 */
export function stationBoxes(bag: SearchBag): Detection[] {
  const said = new Map((bag.detectionVerdicts ?? []).map((v) => [v.detectionId, v.verdict]));
  const scanner = (bag.machineResult?.detections ?? []).map((d) => ({ ...d, id: `scanner-${d.id}` }));
  const consoles = bag.consoleResults.flatMap((r, i) =>
    r.detections.map((d) => {
      const verdict = said.get(d.id);
      const note = verdict === undefined ? '' : verdict === 'confirmed' ? ' · screener: threat' : ' · screener: not a threat';
      return { ...d, id: `console-${i}-${d.id}`, label: `AI ${d.label}${note}` };
    }),
  );
  return [...scanner, ...consoles];
}
