import { useEffect, useMemo } from 'react';
import { NOTE_MAX_CHARS, type SearchBag } from '@clearway/protocol';
import { useController } from '../controller-context.ts';
import { clockTime } from '../format.ts';
import { Header } from '../Header.tsx';
import { useOutbox } from '../outbox-store.ts';
import { useSession } from '../session-store.ts';
import { applyToolCommand } from '../viewer/image-tools-store.ts';
import { ScanViewer } from '../viewer/ScanViewer.tsx';
import { OUTCOME_KEYS, THREAT_CLASS_KEYS, searchCommandForKey } from './search-keys.ts';
import { OUTCOME_NAMES, missing, selectedBag, stationBoxes } from './search-line.ts';
import { draftOf, useSearchStation } from './search-store.ts';
import { marksText } from './search-form.ts';
import { selectionText } from './selection-text.ts';
import { ExitCheckView } from '../exit-check/ExitCheckView.tsx';
import '../exit-check/exit-check.css';
import { toggleExitCheck, useExitCheck } from '../exit-check/exit-check-store.ts';
import './search.css';

const NOTE_ID = 'search-outcome-note';
/** Image tools of a bag at the station are keyed like an assignment's, so that the next bag starts fresh. */
const toolsKey = (bagId: string) => `search:${bagId}`;
const noPaint = () => undefined;
// Buttons keep the keyboard focus where it was: a focused button would take Enter for itself.
const keepFocus = (event: { preventDefault(): void }) => event.preventDefault();

function useSearchKeys(): void {
  const controller = useController();
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      if (useExitCheck.getState().open) return; // the exit-check view has its own keys
      const state = useSearchStation.getState();
      const command = searchCommandForKey(event, draftOf(state).outcome === 'threat-found');
      if (command === null) return;
      event.preventDefault();
      const { phase, officer } = useSession.getState();
      const bag = selectedBag(state.line, state.selected);
      switch (command.kind) {
        case 'move':
          return controller.search.move(command.delta);
        case 'outcome':
          return controller.search.chooseOutcome(command.outcome);
        case 'class':
          return controller.search.chooseClass(command.threatClass);
        case 'confirm':
          if (phase === 'signed-in' && officer?.role === 'search-officer') controller.search.confirm(officer.id);
          return;
        case 'back':
          if (document.activeElement instanceof HTMLElement && document.activeElement.id === NOTE_ID) document.activeElement.blur();
          else controller.search.clearDraft();
          return;
        case 'note':
          document.getElementById(NOTE_ID)?.focus();
          return;
        case 'station':
          return toggleExitCheck();
        case 'zoom':
          if (bag) applyToolCommand(toolsKey(bag.bag.bagId), command.command);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}

function SearchList() {
  const controller = useController();
  const line = useSearchStation((s) => s.line);
  const on = useSearchStation((s) => selectedBag(s.line, s.selected)?.bag.bagId);
  return (
    <nav className="search-list" aria-label="Bags for search, oldest first">
      <h2>
        For search <span data-testid="search-count">{line.bags.length}</span>
      </h2>
      <ol role="listbox" aria-label="Flagged bags">
        {line.bags.map((b) => (
          <li
            key={b.bag.bagId}
            role="option"
            aria-selected={b.bag.bagId === on}
            className={b.bag.bagId === on ? 'selected' : undefined}
            data-testid="search-item"
            data-bag={b.bag.bagTag}
            onMouseDown={keepFocus}
            onClick={() => controller.search.select(b.bag.bagId)}
          >
            <span className="search-item-tag">{b.bag.bagTag}</span>
            <span className="search-item-meta">
              {b.bag.lane} · {b.bag.flight} · <time dateTime={b.flaggedAt}>{clockTime(b.flaggedAt)}</time>
            </span>
            <span className="search-item-meta">
              {marksText(b.marks.length)}
              {b.machineResult?.alarm ? ' · machine alarm' : ''}
              {b.note ? ' · note' : ''}
            </span>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function FlaggedBag({ bag }: { bag: SearchBag }) {
  const images = useSearchStation((s) => s.images[bag.bag.bagId]);
  const boxes = useMemo(() => stationBoxes(bag), [bag]);
  const marks = useMemo(() => ({ marks: bag.marks }), [bag.marks]);
  return (
    <section className="bag-panel search-bag" aria-label={`Bag ${bag.bag.bagTag}`}>
      <dl className="bag-facts">
        <div>
          <dt>Bag</dt>
          <dd data-testid="search-bag-tag">{bag.bag.bagTag}</dd>
        </div>
        <div>
          <dt>Flight</dt>
          <dd data-testid="search-bag-flight">{bag.bag.flight}</dd>
        </div>
        <div>
          <dt>Lane</dt>
          <dd data-testid="search-bag-lane">{bag.bag.lane}</dd>
        </div>
        <div>
          <dt>Sent to search</dt>
          <dd>
            <time dateTime={bag.flaggedAt}>{clockTime(bag.flaggedAt)}</time> by {bag.screener.name}
          </dd>
        </div>
        <div>
          <dt>Marked</dt>
          <dd data-testid="search-marks-count">{marksText(bag.marks.length)}</dd>
        </div>
        {bag.selection && (
          <div className="selection-fact">
            <dt>Selected from the manifest</dt>
            <dd data-testid="search-selection">{selectionText(bag.selection)}</dd>
          </div>
        )}
        {bag.machineResult && (
          <div className={`machine-fact ${bag.machineResult.alarm ? 'machine-alarm' : 'machine-clear'}`} title={bag.machineResult.algorithm}>
            <dt>Machine</dt>
            <dd>{bag.machineResult.alarm ? 'Alarm' : 'No alarm'}</dd>
          </div>
        )}
      </dl>
      <blockquote className="screener-note" data-testid="search-screener-note">
        {bag.note ?? <span className="muted">No note from the screener</span>}
      </blockquote>
      {images?.state === 'loaded' ? (
        <div className={`scan-views scan-views-${images.views.length}`}>
          {images.views.map((view) => (
            <ScanViewer key={view.view} assignmentId={toolsKey(bag.bag.bagId)} view={view} detections={boxes} marks={marks} onPainted={noPaint} />
          ))}
        </div>
      ) : (
        <div className="no-bag" data-testid="search-images-state">
          {images?.state === 'failed' ? `Images not available: ${images.error}` : 'Loading the images…'}
        </div>
      )}
    </section>
  );
}

function OutcomePanel({ bag }: { bag: SearchBag | undefined }) {
  const controller = useController();
  const draft = useSearchStation(draftOf);
  const officer = useSession((s) => s.officer);
  const phase = useSession((s) => s.phase);
  const why = missing(draft);
  const allowed = bag !== undefined && phase === 'signed-in' && officer?.role === 'search-officer';
  return (
    <section className="outcome-panel" aria-label="Search outcome">
      <div className="outcome-choices" role="group" aria-label="Outcome">
        {OUTCOME_KEYS.map(({ outcome, key }) => (
          <button
            key={outcome}
            type="button"
            className={`outcome outcome-${outcome}`}
            data-testid={`outcome-${outcome}`}
            aria-pressed={draft.outcome === outcome}
            aria-keyshortcuts={key}
            disabled={!allowed}
            onMouseDown={keepFocus}
            onClick={() => controller.search.chooseOutcome(outcome)}
          >
            <kbd>{key}</kbd> {OUTCOME_NAMES[outcome]}
          </button>
        ))}
      </div>
      {draft.outcome === 'threat-found' && (
        <div className="threat-classes" role="group" aria-label="What was found">
          {THREAT_CLASS_KEYS.map(({ threatClass, key }) => (
            <button
              key={threatClass}
              type="button"
              data-testid={`threat-${threatClass}`}
              aria-pressed={draft.threatClass === threatClass}
              aria-keyshortcuts={key}
              onMouseDown={keepFocus}
              onClick={() => controller.search.chooseClass(threatClass)}
            >
              <kbd>{key}</kbd> {threatClass}
            </button>
          ))}
        </div>
      )}
      <label className="search-note">
        <span>
          Note (optional, <kbd>N</kbd>)
        </span>
        <textarea
          id={NOTE_ID}
          data-testid="search-outcome-note"
          rows={2}
          maxLength={NOTE_MAX_CHARS}
          value={draft.note}
          disabled={!allowed}
          onChange={(event) => controller.search.setNote(event.target.value)}
        />
      </label>
      <div className="outcome-confirm-row">
        <span className="outcome-missing" data-testid="outcome-missing">
          {allowed ? (why ?? 'Enter records the outcome') : ''}
        </span>
        <button
          type="button"
          className="decide decide-clear"
          data-testid="outcome-confirm"
          aria-keyshortcuts="Enter"
          disabled={!allowed || why !== null}
          onMouseDown={keepFocus}
          onClick={() => officer && controller.search.confirm(officer.id)}
        >
          Record <kbd>Enter</kbd>
        </button>
      </div>
    </section>
  );
}

function RefusedOutcomes() {
  const controller = useController();
  const entries = useOutbox((s) => s.entries);
  const refused = entries.filter((e) => e.state === 'refused' && e.kind === 'search-outcome');
  if (refused.length === 0) return null;
  return (
    <section className="refused" data-testid="refused-outcomes" aria-label="Outcomes the hub refused">
      <h2>Refused by the hub — tell your shift lead</h2>
      <ul>
        {refused.map((entry) => (
          <li key={entry.idempotencyKey}>
            <span>
              Bag {entry.bagTag}: {entry.error ?? 'refused'}
            </span>
            <button type="button" onClick={() => controller.dismissRefused(entry.idempotencyKey)}>
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The search officer's workspace: the line of flagged bags, the bag on screen, its outcome. */
export function SearchWorkspace() {
  useSearchKeys();
  const line = useSearchStation((s) => s.line);
  const bag = useSearchStation((s) => selectedBag(s.line, s.selected));
  const last = useSearchStation((s) => s.last);
  const phase = useSession((s) => s.phase);
  const notice = useSession((s) => s.notice);
  const exitOpen = useExitCheck((s) => s.open);
  const toStop = useExitCheck((s) => s.entries.filter((e) => e.state === 'look-out').length);
  const viewSwitch = (
    <div className="view-switch" role="group" aria-label="Station">
      <button type="button" aria-pressed={!exitOpen} data-testid="view-search" onClick={() => exitOpen && toggleExitCheck()}>
        Search station
      </button>
      <button type="button" aria-pressed={exitOpen} data-testid="view-exit-check" aria-keyshortcuts="X" onClick={() => !exitOpen && toggleExitCheck()}>
        Exit check{toStop > 0 ? ` (${toStop} to stop)` : ''} <kbd>X</kbd>
      </button>
    </div>
  );
  if (exitOpen) {
    return (
      <div className="workspace search-workspace">
        <Header />
        {viewSwitch}
        <ExitCheckView />
      </div>
    );
  }
  return (
    <div className="workspace search-workspace">
      <Header />
      {viewSwitch}
      <main className="search-station">
        <SearchList />
        {bag ? (
          <FlaggedBag key={bag.bag.bagId} bag={bag} />
        ) : (
          <section className="no-bag" data-testid="no-search-bag">
            {phase === 'resuming' ? 'Reconnecting to the hub…' : line.received ? 'No bags waiting for a search' : 'Loading the search line…'}
          </section>
        )}
      </main>
      <footer className="bottom-bar search-bottom">
        <div className="bottom-info">
          {last && (
            <p className={`last-decision delivery-${last.delivery}`} data-testid="last-outcome" aria-live="polite">
              Bag {last.bagTag}: {last.text} — {last.delivery === 'stored' ? 'stored' : last.delivery === 'waiting' ? 'waiting to send' : `refused: ${last.error ?? 'no reason given'}`}
            </p>
          )}
          {notice && (
            <p className="notice" role="alert">
              {notice}
            </p>
          )}
        </div>
        <OutcomePanel bag={bag} />
      </footer>
      <RefusedOutcomes />
    </div>
  );
}
