/**
 * What the controller takes from the detection stores: the officer's verdicts for a decision,
 * and the `detection:result` report of a bag.
 */
import type { BagAssigned, DetectionResultSubmitInput, DetectionVerdict, Verdict } from '@clearway/protocol';
import { backendLabel } from './backend.ts';
import { useDetection } from './detection-client.ts';
import { type BagDetections, detectionVerdicts, shownDetections, toProtocolDetections } from './review.ts';
import { reviewOf, useAiReview } from './review-store.ts';
import { useThresholds } from './thresholds-store.ts';

/** The verdict on each AI box on screen; undefined when the model had not finished on this bag. */
export function decisionDetections(assignmentId: string, verdict: Verdict): DetectionVerdict[] | undefined {
  const run = useDetection.getState().run;
  if (run?.assignmentId !== assignmentId || run.phase !== 'done') return undefined;
  const shown = shownDetections(run.result.detections, useThresholds.getState().byClass);
  return detectionVerdicts(shown, reviewOf(useAiReview.getState(), assignmentId).marks, verdict);
}

/** Everything the model found on the bag; the alarm is whether any box reached its class threshold. */
export function detectionReport(assignment: BagAssigned, result: BagDetections): DetectionResultSubmitInput {
  return {
    assignmentId: assignment.assignmentId,
    bagId: assignment.bag.bagId,
    model: result.model,
    backend: backendLabel(result.backend),
    inferMs: Number(result.timings.inferMs.toFixed(3)),
    alarm: shownDetections(result.detections, useThresholds.getState().byClass).length > 0,
    detections: toProtocolDetections(result.detections),
  };
}
