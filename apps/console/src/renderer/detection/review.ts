/**
 * Pure rules for the model's boxes on the bag on screen: their IDs, which ones the officer's
 * thresholds show, the officer's marks on them, and what the decision records about each.
 */
import type { DetectionInput, DetectionVerdict, DetectionVerdictValue, Verdict, ViewName } from '@clearway/protocol';
import type { BackendInfo, Timings, WorkerDetection } from './messages.ts';
import { backendLabel } from './backend.ts';
import { type Thresholds, thresholdFor } from './thresholds.ts';

/** One box the console's model found, in the view's pixels. */
export interface AiDetection {
  /** PTO ID within the bag, e.g. "ai-top-1": unique across views, never like a scanner's numeric IDs. */
  readonly id: string;
  readonly view: ViewName;
  readonly label: string;
  readonly score: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The model's result on one bag. */
export interface BagDetections {
  readonly assignmentId: string;
  readonly model: { readonly sha256: string; readonly name: string };
  readonly backend: BackendInfo;
  readonly detections: readonly AiDetection[];
  /** Summed over the bag's views (ms). */
  readonly timings: Timings;
}

/** Highest score first, numbered from 1 per view; boxes of no size (clipped away) are left out. */
export function viewDetections(view: ViewName, found: readonly WorkerDetection[]): AiDetection[] {
  return [...found]
    .filter((d) => d.width > 0 && d.height > 0)
    .sort((a, b) => b.score - a.score)
    .map((d, i) => ({ id: `ai-${view}-${i + 1}`, view, label: d.label, score: d.score, x: Math.max(0, d.x), y: Math.max(0, d.y), width: d.width, height: d.height }));
}

export function sumTimings(all: readonly Timings[]): Timings {
  return all.reduce((s, t) => ({ preMs: s.preMs + t.preMs, inferMs: s.inferMs + t.inferMs, postMs: s.postMs + t.postMs }), { preMs: 0, inferMs: 0, postMs: 0 });
}

/** The boxes the officer's thresholds let through: those drawn, and those the decision speaks about. */
export function shownDetections(detections: readonly AiDetection[], thresholds: Thresholds): AiDetection[] {
  return detections.filter((d) => d.score >= thresholdFor(thresholds, d.label));
}

/** The officer's mark on a box; a box without one takes the decision's default. */
export type Marks = Readonly<Record<string, DetectionVerdictValue>>;

/** A box the officer did not touch: dismissed when they clear the bag, confirmed when they send it to search. */
export function defaultVerdict(decision: Verdict): DetectionVerdictValue {
  return decision === 'search' ? 'confirmed' : 'dismissed';
}

/** Clicking (or T on) a box: untouched → confirmed → dismissed → untouched. */
export function cycleMark(marks: Marks, id: string): Marks {
  const current = marks[id];
  const rest = Object.fromEntries(Object.entries(marks).filter(([k]) => k !== id));
  if (current === undefined) return { ...rest, [id]: 'confirmed' };
  if (current === 'confirmed') return { ...rest, [id]: 'dismissed' };
  return rest;
}

/** What the decision records: every box on screen with the officer's mark, or the default. */
export function detectionVerdicts(shown: readonly AiDetection[], marks: Marks, decision: Verdict): DetectionVerdict[] {
  // The protocol's limit, like toProtocolDetections: two views of at most 100 boxes each fit.
  return shown.slice(0, 200).map((d) => ({ detectionId: d.id, verdict: marks[d.id] ?? defaultVerdict(decision) }));
}

/** N: the next box on screen after the selected one (views in order, highest score first), wrapping round. */
export function nextSelection(shown: readonly AiDetection[], selected: string | null): string | null {
  if (shown.length === 0) return null;
  const at = selected === null ? -1 : shown.findIndex((d) => d.id === selected);
  return shown[(at + 1) % shown.length]?.id ?? null;
}

/** The boxes as the protocol's machine detections, for `detection:result`. */
export function toProtocolDetections(detections: readonly AiDetection[]): DetectionInput[] {
  return detections.slice(0, 200).map((d) => ({
    id: d.id,
    label: d.label.slice(0, 64),
    category: 'PROHIBITED_ITEM',
    score: Math.min(1, Math.max(0, d.score)),
    box: { view: d.view, x: d.x, y: d.y, width: d.width, height: d.height },
  }));
}

export type DetectionPhase =
  | { kind: 'off' }
  | { kind: 'loading'; loadedBytes: number; totalBytes: number }
  | { kind: 'detecting' }
  | { kind: 'done'; shown: number; inferMs: number; backend: BackendInfo }
  | { kind: 'failed'; reason: string };

/** The status line: "Model loading 63%", "Detecting…", "3 threats (42 ms, wasm SIMD 4 threads)". */
export function statusText(phase: DetectionPhase): string {
  switch (phase.kind) {
    case 'off':
      return 'AI detection: no model';
    case 'loading': {
      const pct = phase.totalBytes > 0 ? Math.min(100, Math.floor((100 * phase.loadedBytes) / phase.totalBytes)) : 0;
      return `Model loading ${pct}%`;
    }
    case 'detecting':
      return 'Detecting…';
    case 'done': {
      const what = phase.shown === 0 ? 'No threats' : phase.shown === 1 ? '1 threat' : `${phase.shown} threats`;
      return `${what} (${Math.round(phase.inferMs)} ms, ${backendLabel(phase.backend)})`;
    }
    case 'failed':
      return `AI detection failed: ${phase.reason}`;
  }
}
