import { useMemo } from 'react';
import type { MarkOverlay } from './MarkLayer.tsx';
import { addSearchMark, removeSearchMark, useSearchForm } from './search-form-store.ts';

/** While the search form is open on this bag: its marks, and drags on the views draw more. */
export function useSearchMarks(assignmentId: string): MarkOverlay | undefined {
  const marks = useSearchForm((s) => (s.form?.assignmentId === assignmentId ? s.form.marks : null));
  return useMemo(() => (marks ? { marks, onAdd: addSearchMark, onRemove: removeSearchMark } : undefined), [marks]);
}
