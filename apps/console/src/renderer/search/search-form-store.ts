import { create } from 'zustand';
import type { ViewBox } from '@clearway/protocol';
import { currentBag } from '../screening.ts';
import { useScreening } from '../screening-store.ts';
import { useSession } from '../session-store.ts';
import { type SearchFormState, addMark, openForm, removeMark, setNote } from './search-form.ts';

/** The search form on the screening workspace; null while closed. */
export const useSearchForm = create<{ form: SearchFormState | null }>()(() => ({ form: null }));

/**
 * S (or the Search button): opens the form on the bag on screen, under the same conditions as a
 * decision (signed in as a screening officer, the image painted). False when it cannot open.
 */
export function beginSearch(pressedAtMs: number): boolean {
  const { phase, officer } = useSession.getState();
  if (phase !== 'signed-in' || officer?.role !== 'screening-officer') return false;
  const { queue, shownAt } = useScreening.getState();
  const bag = currentBag(queue);
  if (!bag || shownAt[bag.assignmentId] === undefined) return false;
  if (useSearchForm.getState().form?.assignmentId === bag.assignmentId) return true;
  useSearchForm.setState({ form: openForm(bag.assignmentId, pressedAtMs) });
  return true;
}

function change(update: (form: SearchFormState) => SearchFormState): void {
  useSearchForm.setState((s) => (s.form ? { form: update(s.form) } : s));
}

export const addSearchMark = (mark: ViewBox): void => change((f) => addMark(f, mark));
export const removeSearchMark = (index: number): void => change((f) => removeMark(f, index));
export const removeLastSearchMark = (): void => change((f) => removeMark(f, f.marks.length - 1));
export const setSearchNote = (note: string): void => change((f) => setNote(f, note));
export const closeSearchForm = (): void => useSearchForm.setState({ form: null });
