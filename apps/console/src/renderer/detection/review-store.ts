import { create } from 'zustand';
import { type Marks, cycleMark } from './review.ts';

/**
 * The officer's review of the model's boxes on one assignment: marks, the selected box, and
 * whether the boxes are hidden. Like the image tools, anything asked of another assignment
 * starts afresh: the next bag never inherits a mark or hidden boxes.
 */
export interface AiReview {
  marks: Marks;
  selected: string | null;
  hidden: boolean;
}

export const INITIAL_REVIEW: AiReview = Object.freeze({ marks: Object.freeze({}), selected: null, hidden: false });

export interface AiReviewState {
  assignmentId: string | null;
  review: AiReview;
}

export const useAiReview = create<AiReviewState>()(() => ({ assignmentId: null, review: INITIAL_REVIEW }));

export function reviewOf(state: AiReviewState, assignmentId: string): AiReview {
  return state.assignmentId === assignmentId ? state.review : INITIAL_REVIEW;
}

function update(assignmentId: string, change: (review: AiReview) => AiReview): void {
  useAiReview.setState((state) => ({ assignmentId, review: change(reviewOf(state, assignmentId)) }));
}

export function toggleAiBoxes(assignmentId: string): void {
  update(assignmentId, (r) => ({ ...r, hidden: !r.hidden }));
}

export function selectAiBox(assignmentId: string, id: string | null): void {
  update(assignmentId, (r) => ({ ...r, selected: id }));
}

/** Cycles the box's mark (untouched → confirmed → dismissed → untouched) and selects it. */
export function markAiBox(assignmentId: string, id: string): void {
  update(assignmentId, (r) => ({ ...r, selected: id, marks: cycleMark(r.marks, id) }));
}
