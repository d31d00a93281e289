import { useEffect } from 'react';
import { BagPanel } from './BagPanel.tsx';
import { useController } from './controller-context.ts';
import { DecisionBar } from './DecisionBar.tsx';
import { Header } from './Header.tsx';
import { commandForKey, toolCommandForKey } from './keys.ts';
import { useOutbox } from './outbox-store.ts';
import { currentBag, lastDecisionText } from './screening.ts';
import { useScreening } from './screening-store.ts';
import { SendRobot } from './robots/SendRobot.tsx';
import { TipNotice } from './tip/TipNotice.tsx';
import { BreakReminder } from './workload/BreakReminder.tsx';
import { SearchForm } from './search/SearchForm.tsx';
import { beginSearch, useSearchForm } from './search/search-form-store.ts';
import { useSession } from './session-store.ts';
import { closeHelp, toggleHelp } from './viewer/help-store.ts';
import { HelpOverlay } from './viewer/HelpOverlay.tsx';

function useScreeningKeys(): void {
  const controller = useController();
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      const tool = toolCommandForKey(event);
      if (tool === 'help' || tool === 'close-help') {
        event.preventDefault();
        if (tool === 'help') toggleHelp();
        else closeHelp();
        return;
      }
      const command = commandForKey(event);
      if (command === null) return;
      event.preventDefault();
      if (command === 'toggle-availability') void controller.toggleAvailability();
      // While the search form is open, C and S wait: Enter sends it, Esc goes back.
      else if (useSearchForm.getState().form !== null) return;
      else if (command === 'search') beginSearch(Date.now());
      else controller.decide(command, Date.now());
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}

function RefusedDecisions() {
  const controller = useController();
  const entries = useOutbox((s) => s.entries);
  const refused = entries.filter((e) => e.state === 'refused');
  if (refused.length === 0) return null;
  return (
    <section className="refused" data-testid="refused-decisions" aria-label="Decisions the hub refused">
      <h2>Refused by the hub — tell your shift lead</h2>
      <ul>
        {refused.map((entry) => (
          <li key={entry.idempotencyKey}>
            <span>
              Bag {entry.bagTag}: {'verdict' in entry.payload ? entry.payload.verdict : entry.payload.outcome} — {entry.error ?? 'refused'}
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

export function Workspace() {
  useScreeningKeys();
  const officer = useSession((s) => s.officer);
  const phase = useSession((s) => s.phase);
  const notice = useSession((s) => s.notice);
  const assignment = useScreening((s) => currentBag(s.queue));
  const shownAt = useScreening((s) => (assignment ? s.shownAt[assignment.assignmentId] : undefined));
  const lastDecision = useScreening((s) => s.lastDecision);
  const screens = officer?.role === 'screening-officer';
  const searching = useSearchForm((s) => s.form !== null);

  return (
    <div className="workspace">
      <Header />
      <main className="screening">
        {assignment ? (
          <BagPanel key={assignment.assignmentId} assignment={assignment} />
        ) : (
          <section className="no-bag" data-testid="no-bag">
            {phase === 'resuming' ? 'Reconnecting to the hub…' : 'Waiting for the next bag'}
          </section>
        )}
      </main>
      <footer className="bottom-bar">
        <div className="bottom-info">
          <BreakReminder />
          {lastDecision && (
            <p className={`last-decision delivery-${lastDecision.delivery}`} data-testid="last-decision" aria-live="polite">
              {lastDecisionText(lastDecision)}
            </p>
          )}
          <TipNotice />
          <SendRobot />
          {notice && (
            <p className="notice" data-testid="notice" role="alert">
              {notice}
            </p>
          )}
          {!screens && officer && <p className="notice">Bag decisions are made by screening officers.</p>}
        </div>
        {searching ? <SearchForm /> : <DecisionBar shownAt={assignment ? shownAt : undefined} allowed={screens && phase === 'signed-in'} />}
      </footer>
      <RefusedDecisions />
      <HelpOverlay />
    </div>
  );
}
