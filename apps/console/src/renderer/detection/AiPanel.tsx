import { useMemo } from 'react';
import { aiKey } from '../keys.ts';
import { detectionStatus, useDetection } from './detection-client.ts';
import { shownDetections, statusText } from './review.ts';
import { setThreshold, useThresholds } from './thresholds-store.ts';
import { MAX_THRESHOLD, MIN_THRESHOLD, THRESHOLD_STEP, thresholdFor } from './thresholds.ts';

/** The per-class thresholds of the model in use, each a slider; remembered in this browser. */
function ThresholdPanel() {
  const classNames = useDetection((s) => s.active?.model.classNames);
  const byClass = useThresholds((s) => s.byClass);
  if (!classNames) return null;
  return (
    <details className="ai-thresholds" data-testid="ai-thresholds">
      <summary onMouseDown={(event) => event.preventDefault()}>Thresholds</summary>
      <div className="ai-threshold-panel" role="group" aria-label="Score threshold per class">
        {classNames.map((label) => {
          const value = thresholdFor(byClass, label);
          return (
            <label key={label} className="ai-threshold">
              <span className="ai-threshold-name">{label}</span>
              <input
                type="range"
                min={MIN_THRESHOLD}
                max={MAX_THRESHOLD}
                step={THRESHOLD_STEP}
                value={value}
                data-testid={`threshold-${label}`}
                onChange={(event) => setThreshold(label, Number(event.target.value))}
              />
              <output className="ai-threshold-value">{Math.round(value * 100)}%</output>
            </label>
          );
        })}
      </div>
    </details>
  );
}

/** "AI" fact of the bag: the status line of the console's model, and its thresholds. */
export function AiFact({ assignmentId }: { assignmentId: string }) {
  const state = useDetection();
  const byClass = useThresholds((s) => s.byClass);
  const { phase, note } = useMemo(
    () => detectionStatus(state, assignmentId, (result) => shownDetections(result.detections, byClass).length),
    [state, assignmentId, byClass],
  );
  const alarm = phase.kind === 'done' && phase.shown > 0;
  return (
    <div className={`ai-fact${alarm ? ' ai-alarm' : ''}`} title={`${aiKey('ai-boxes')} hides or shows the AI boxes; ${aiKey('ai-next')} selects one, ${aiKey('ai-mark')} marks it`}>
      <dt>AI</dt>
      <dd data-testid="ai-status" data-phase={phase.kind} aria-live="polite">
        {statusText(phase)}
        {note && <span className="ai-note"> · {note}</span>}
      </dd>
      <ThresholdPanel />
    </div>
  );
}
