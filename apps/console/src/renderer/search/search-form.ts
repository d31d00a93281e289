/**
 * The screening officer's search form, as pure rules: S opens it on the bag on screen, the
 * officer drags regions on the views and types a note, Enter sends the bag to search with
 * them, Esc goes back to the bag. Nothing is decided until Enter.
 */
import { MARKS_MAX, NOTE_MAX_CHARS, type ViewBox } from '@clearway/protocol';

export interface SearchFormState {
  /** The assignment the form is about; the form closes if that bag leaves the screen. */
  readonly assignmentId: string;
  /** When S was pressed: the decision's time (marking and typing are not deciding). */
  readonly pressedAtMs: number;
  readonly marks: readonly ViewBox[];
  readonly note: string;
}

export function openForm(assignmentId: string, pressedAtMs: number): SearchFormState {
  return { assignmentId, pressedAtMs, marks: [], note: '' };
}

/** Adds a mark, up to the protocol's limit (the oldest stay: they were drawn first, on purpose). */
export function addMark(form: SearchFormState, mark: ViewBox): SearchFormState {
  if (form.marks.length >= MARKS_MAX) return form;
  return { ...form, marks: [...form.marks, mark] };
}

export function removeMark(form: SearchFormState, index: number): SearchFormState {
  if (index < 0 || index >= form.marks.length) return form;
  return { ...form, marks: form.marks.filter((_, i) => i !== index) };
}

export function setNote(form: SearchFormState, note: string): SearchFormState {
  return { ...form, note: note.slice(0, NOTE_MAX_CHARS) };
}

/** What goes with the search decision: the marks and the trimmed note, each only when there is one. */
export function decisionExtras(form: SearchFormState): { marks?: ViewBox[]; note?: string } {
  const note = form.note.trim();
  return { ...(form.marks.length > 0 ? { marks: [...form.marks] } : {}), ...(note.length > 0 ? { note } : {}) };
}

/** e.g. "2 regions marked". */
export function marksText(count: number): string {
  if (count === 0) return 'No regions marked';
  return count === 1 ? '1 region marked' : `${count} regions marked`;
}
