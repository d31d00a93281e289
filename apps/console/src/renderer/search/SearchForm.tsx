import { useEffect, useRef } from 'react';
import { MARKS_MAX, NOTE_MAX_CHARS } from '@clearway/protocol';
import type { ConsoleController } from '../console-controller.ts';
import { useController } from '../controller-context.ts';
import { isTypingTarget } from '../keys.ts';
import { currentBag } from '../screening.ts';
import { useScreening } from '../screening-store.ts';
import { useHelp } from '../viewer/help-store.ts';
import { decisionExtras, marksText } from './search-form.ts';
import { closeSearchForm, removeLastSearchMark, setSearchNote, useSearchForm } from './search-form-store.ts';

/** Enter or the button: the bag goes to search with the form's marks and note, decided at the S press. */
function sendToSearch(controller: ConsoleController): void {
  const form = useSearchForm.getState().form;
  if (!form) return;
  closeSearchForm();
  controller.decide('search', form.pressedAtMs, decisionExtras(form));
}

/**
 * The screening officer's search form, in place of the decision buttons while open: drag on the
 * views to mark regions, type a note, Enter sends the bag to search, Esc goes back to the bag.
 */
export function SearchForm() {
  const controller = useController();
  const form = useSearchForm((s) => s.form);
  const current = useScreening((s) => currentBag(s.queue)?.assignmentId);
  const noteField = useRef<HTMLTextAreaElement>(null);
  const openOn = form?.assignmentId ?? null;

  // The bag left the screen (taken back by the hub): there is nothing left to send to search.
  useEffect(() => {
    if (openOn !== null && openOn !== current) closeSearchForm();
  }, [openOn, current]);

  // Keyboard first: S, type the note, Enter.
  useEffect(() => {
    if (openOn !== null) noteField.current?.focus();
  }, [openOn]);

  useEffect(() => {
    if (openOn === null) return;
    function onKey(event: KeyboardEvent): void {
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      if (event.key === 'Escape') {
        if (useHelp.getState().open) return; // Esc closes the help first
        event.preventDefault();
        closeSearchForm();
      } else if (event.key === 'Enter') {
        // Shift+Enter is a new line in the note; Enter on a focused button is that button's.
        if (event.repeat || (event.shiftKey && isTypingTarget(event.target)) || (event.target instanceof HTMLElement && event.target.tagName === 'BUTTON')) return;
        event.preventDefault();
        sendToSearch(controller);
      } else if ((event.key === 'Backspace' || event.key === 'Delete') && !isTypingTarget(event.target)) {
        event.preventDefault();
        removeLastSearchMark();
      }
    }
    // Capture: before the workspace's own Esc closes the help, so that one Esc does one thing.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [openOn, controller]);

  if (!form || form.assignmentId !== current) return null;
  return (
    <section className="search-form" data-testid="search-form" aria-label="Send to search">
      <div className="search-form-head">
        <strong>Send to search</strong>
        <span className="search-form-hint">Drag on the image to mark regions · Backspace removes the last</span>
        <span data-testid="search-mark-count">
          {marksText(form.marks.length)}
          {form.marks.length >= MARKS_MAX ? ' (the most allowed)' : ''}
        </span>
      </div>
      <label className="search-note">
        <span>Note for the search officer (optional)</span>
        <textarea
          ref={noteField}
          data-testid="search-note"
          rows={2}
          maxLength={NOTE_MAX_CHARS}
          value={form.note}
          placeholder="e.g. dense object under the laptop, left side"
          onChange={(event) => setSearchNote(event.target.value)}
        />
        <span className="search-note-count">
          {form.note.length}/{NOTE_MAX_CHARS}
        </span>
      </label>
      <div className="search-form-actions">
        <button type="button" className="decide decide-search" data-testid="search-send" aria-keyshortcuts="Enter" onClick={() => sendToSearch(controller)}>
          Send to search <kbd>Enter</kbd>
        </button>
        <button type="button" data-testid="search-cancel" aria-keyshortcuts="Escape" onClick={closeSearchForm}>
          Back <kbd>Esc</kbd>
        </button>
      </div>
    </section>
  );
}
