import { useEffect } from 'react';
import { useController } from '../controller-context.ts';
import { clockTime } from '../format.ts';
import { STATE_TEXT, bagStateText, bagsToDirect, counts, exitCheckCommandForKey, passengerText, selectedEntry } from './exit-check-model.ts';
import { toggleExitCheck, useExitCheck } from './exit-check-store.ts';
import './exit-check.css';

// Buttons keep the keyboard focus where it was, as at the search station.
const keepFocus = (event: { preventDefault(): void }) => event.preventDefault();

/** ↑ / ↓ through the list, D records the stop, X back to the search station. */
function useExitCheckKeys(): void {
  const controller = useController();
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      const command = exitCheckCommandForKey(event);
      if (command === null) return;
      event.preventDefault();
      if (command.kind === 'move') controller.exitCheck.move(command.delta);
      else if (command.kind === 'direct') controller.exitCheck.direct();
      else toggleExitCheck();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}

/** The exit check at reclaim: whom to stop and send to the search station, with each flagged bag's tag and why. */
export function ExitCheckView() {
  useExitCheckKeys();
  const controller = useController();
  const entries = useExitCheck((s) => s.entries);
  const received = useExitCheck((s) => s.received);
  const entry = useExitCheck((s) => selectedEntry(s.entries, s.selected));
  const last = useExitCheck((s) => s.last);
  const n = counts(entries);
  const toDirect = bagsToDirect(entry);
  return (
    <main className="exit-check" data-testid="exit-check">
      <nav className="exit-list" aria-label="Passengers to stop at the reclaim exit">
        <h2>
          Exit check <span data-testid="exit-lookout-count">{n['look-out']}</span> to stop · {n.directed} at search · {n.searched} done
        </h2>
        {entries.length === 0 ? (
          <p className="exit-empty" data-testid="exit-empty">{received ? 'No flagged checked bags: nobody to stop' : 'Loading the exit-check list…'}</p>
        ) : (
          <ol role="listbox" aria-label="Passengers">
            {entries.map((e) => (
              <li
                key={e.key}
                role="option"
                aria-selected={e.key === entry?.key}
                className={`exit-item state-${e.state}${e.key === entry?.key ? ' selected' : ''}`}
                data-testid="exit-item"
                data-key={e.key}
                onMouseDown={keepFocus}
                onClick={() => controller.exitCheck.select(e.key)}
              >
                <span className="exit-state">{STATE_TEXT[e.state]}</span>
                <span className="exit-who">{passengerText(e)}</span>
                <span className="exit-meta">
                  {e.flight} · {e.bags.map((b) => b.bagTag).join(', ')} · <time dateTime={e.flaggedAt}>{clockTime(e.flaggedAt)}</time>
                </span>
              </li>
            ))}
          </ol>
        )}
      </nav>
      {entry && (
        <section className="exit-detail" aria-label={`Passenger ${passengerText(entry)}`} data-testid="exit-detail">
          <h2 data-testid="exit-passenger">{passengerText(entry)}</h2>
          <p className="exit-meta">
            Flight {entry.flight} · flagged <time dateTime={entry.flaggedAt}>{clockTime(entry.flaggedAt)}</time> · <strong>{STATE_TEXT[entry.state]}</strong>
          </p>
          <table className="exit-bags">
            <thead>
              <tr>
                <th scope="col">Bag tag</th>
                <th scope="col">Why</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {entry.bags.map((b) => (
                <tr key={b.bagId} data-testid="exit-bag" data-tag={b.bagTag}>
                  <td className="exit-tag">{b.bagTag}</td>
                  <td>
                    <ul className="exit-reasons">
                      {b.reasons.map((r) => (
                        <li key={r}>{r}</li>
                      ))}
                    </ul>
                  </td>
                  <td data-testid="exit-bag-state">{bagStateText(b)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            className="decide decide-search"
            data-testid="exit-direct"
            aria-keyshortcuts="D"
            disabled={toDirect.length === 0}
            onMouseDown={keepFocus}
            onClick={() => controller.exitCheck.direct()}
          >
            Stopped: sent to the search station <kbd>D</kbd>
          </button>
          <p className="exit-hint">The search station records what the search finds against the bag.</p>
        </section>
      )}
      {last && (
        <p className={`exit-last ${last.ok ? 'ok' : 'failed'}`} data-testid="exit-last" role={last.ok ? 'status' : 'alert'}>
          {last.text}
        </p>
      )}
    </main>
  );
}
