import { useCallback, useEffect, useMemo } from 'react';
import type { BagAssigned } from '@clearway/protocol';
import { useController } from './controller-context.ts';
import type { AiOverlay } from './detection/AiBoxLayer.tsx';
import { AiFact } from './detection/AiPanel.tsx';
import { useDetection } from './detection/detection-client.ts';
import { type AiDetection, nextSelection, shownDetections } from './detection/review.ts';
import { markAiBox, reviewOf, selectAiBox, toggleAiBoxes, useAiReview } from './detection/review-store.ts';
import { useThresholds } from './detection/thresholds-store.ts';
import { clockTime } from './format.ts';
import { aiCommandForKey, toolCommandForKey } from './keys.ts';
import { bagPainted } from './screening-store.ts';
import { useSearchMarks } from './search/use-search-marks.ts';
import { applyToolCommand } from './viewer/image-tools-store.ts';
import { ScanViewer } from './viewer/ScanViewer.tsx';
import { ToolBar } from './viewer/ToolBar.tsx';

/** Tool keys act on this bag only: its tools die with it, so the next bag starts with none. */
function useToolKeys(assignmentId: string): void {
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      const command = toolCommandForKey(event);
      if (command === null || command === 'help' || command === 'close-help') return;
      event.preventDefault();
      applyToolCommand(assignmentId, command);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [assignmentId]);
}

/** Runs the console's model on the bag once it is on screen, and again when the hub's model changes. */
function useBagDetection(assignment: BagAssigned): readonly AiDetection[] {
  const controller = useController();
  const activeSha = useDetection((s) => s.active?.model.sha256 ?? null);
  const run = useDetection((s) => (s.run?.assignmentId === assignment.assignmentId ? s.run : null));
  const byClass = useThresholds((s) => s.byClass);
  useEffect(() => {
    if (activeSha !== null) void controller.detection?.detectBag(assignment);
  }, [controller, assignment, activeSha]);
  useEffect(() => () => controller.detection?.forget(assignment.assignmentId), [controller, assignment.assignmentId]);
  return useMemo(() => (run?.phase === 'done' ? shownDetections(run.result.detections, byClass) : []), [run, byClass]);
}

/** A hides or shows the AI boxes, N selects the next one, T cycles its mark. */
function useAiKeys(assignmentId: string, shown: readonly AiDetection[]): void {
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      const command = aiCommandForKey(event);
      if (command === null) return;
      event.preventDefault();
      const review = reviewOf(useAiReview.getState(), assignmentId);
      if (command === 'ai-boxes') toggleAiBoxes(assignmentId);
      else if (command === 'ai-next') selectAiBox(assignmentId, nextSelection(shown, review.selected));
      else if (review.selected !== null && shown.some((d) => d.id === review.selected)) markAiBox(assignmentId, review.selected);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [assignmentId, shown]);
}

function MachineFact({ assignment }: { assignment: BagAssigned }) {
  const result = assignment.machineResult;
  if (!result) return null;
  const count = result.detections.length;
  return (
    <div className={`machine-fact ${result.alarm ? 'machine-alarm' : 'machine-clear'}`} title={result.algorithm}>
      <dt>Machine</dt>
      <dd data-testid="machine-result">
        {result.alarm ? 'Alarm' : 'No alarm'}
        {count > 0 && <span className="machine-count"> · {count === 1 ? '1 object' : `${count} objects`}</span>}
      </dd>
    </div>
  );
}

export function BagPanel({ assignment }: { assignment: BagAssigned }) {
  const { assignmentId, bag, views } = assignment;
  const painted = useCallback((at: Date) => bagPainted(assignmentId, at), [assignmentId]);
  useToolKeys(assignmentId);
  const aiShown = useBagDetection(assignment);
  useAiKeys(assignmentId, aiShown);
  const review = useAiReview((s) => reviewOf(s, assignmentId));
  const marks = useSearchMarks(assignmentId);
  const ai: AiOverlay | undefined = useMemo(
    () => (review.hidden ? undefined : { boxes: aiShown, marks: review.marks, selected: review.selected, onMark: (id: string) => markAiBox(assignmentId, id) }),
    [aiShown, review, assignmentId],
  );
  const detections = assignment.machineResult?.detections ?? [];
  const materialInfo = views.some((view) => view.low !== undefined);
  return (
    <section className="bag-panel" aria-label={`Bag ${bag.bagTag}`}>
      <dl className="bag-facts">
        <div>
          <dt>Bag</dt>
          <dd data-testid="bag-tag">{bag.bagTag}</dd>
        </div>
        <div>
          <dt>Flight</dt>
          <dd data-testid="bag-flight">{bag.flight}</dd>
        </div>
        <div>
          <dt>Lane</dt>
          <dd data-testid="bag-lane">{bag.lane}</dd>
        </div>
        <div>
          <dt>Scanned</dt>
          <dd data-testid="bag-scanned-at">
            <time dateTime={bag.scannedAt}>{clockTime(bag.scannedAt)}</time>
          </dd>
        </div>
        <MachineFact assignment={assignment} />
        <AiFact assignmentId={assignmentId} />
      </dl>
      <div className={`scan-views scan-views-${views.length}`}>
        {views.map((view) => (
          <ScanViewer key={view.view} assignmentId={assignmentId} view={view} detections={detections} ai={ai} marks={marks} onPainted={painted} />
        ))}
      </div>
      <ToolBar assignmentId={assignmentId} materialInfo={materialInfo} boxCount={detections.length} />
    </section>
  );
}
