import { COMMAND_KEYS, TOOL_KEYS } from '../keys.ts';
import { closeHelp, useHelp } from './help-store.ts';

const DECISION_KEYS = [
  { cap: COMMAND_KEYS.clear, label: 'Clear the bag' },
  { cap: COMMAND_KEYS.search, label: 'Send the bag to search' },
  { cap: COMMAND_KEYS['toggle-availability'], label: 'Break / available' },
];

/** Every key of the workspace, on `?`. */
export function HelpOverlay() {
  const open = useHelp((s) => s.open);
  if (!open) return null;
  return (
    <div className="help-backdrop" onClick={() => closeHelp()}>
      <section className="help" role="dialog" aria-modal="false" aria-label="Keys" data-testid="help-overlay" onClick={(event) => event.stopPropagation()}>
        <header>
          <h2>Keys</h2>
          <button type="button" className="help-close" onClick={() => closeHelp()} aria-label="Close the help">
            <kbd>Esc</kbd>
          </button>
        </header>
        <div className="help-columns">
          <dl>
            <div className="help-heading">Decision</div>
            {DECISION_KEYS.map((k) => (
              <div key={k.cap} className="help-row">
                <dt>
                  <kbd>{k.cap}</kbd>
                </dt>
                <dd>{k.label}</dd>
              </div>
            ))}
            <div className="help-heading">Image tools</div>
            {TOOL_KEYS.filter((k) => k.command !== 'close-help').map((k) => (
              <div key={k.command} className="help-row">
                <dt>
                  <kbd>{k.cap}</kbd>
                </dt>
                <dd>{k.label}</dd>
              </div>
            ))}
          </dl>
        </div>
        <p className="help-note">
          Every tool, zoom included, resets when the next bag arrives. Drag to pan, scroll to zoom at the pointer.
        </p>
      </section>
    </div>
  );
}
