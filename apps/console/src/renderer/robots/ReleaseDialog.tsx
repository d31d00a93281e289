/**
 * Releasing an emergency stop lets a robot move again: the operator confirms that the area is
 * clear by ticking a box, then presses Release. "Keep stopped" has the focus; Escape keeps stopped.
 */
import { useEffect, useRef, useState } from 'react';
import { useController } from '../controller-context.ts';
import { robotName } from './robot-format.ts';
import { useRobots } from './robot-store.ts';

function Prompt({ target }: { target: string }) {
  const controller = useController();
  const [checked, setChecked] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    keep.current?.focus();
    function onKey(event: KeyboardEvent): void {
      if (event.key === 'Escape') useRobots.setState({ releasePrompt: null });
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const who = target === '*' ? 'every robot' : robotName(target);
  return (
    <div className="help-backdrop" role="presentation">
      <div className="help release-dialog" role="alertdialog" aria-modal="true" aria-labelledby="release-title" data-testid="release-dialog">
        <h2 id="release-title">Release the emergency stop on {who}?</h2>
        <p>The robot may move again at once and carry on with its goal. Check that people, trays and bags are clear of it.</p>
        <label className="release-check">
          <input type="checkbox" data-testid="release-confirm-check" checked={checked} onChange={(e) => setChecked(e.target.checked)} />I have checked that the area around {who} is clear
        </label>
        <div className="release-actions">
          <button type="button" ref={keep} onClick={() => useRobots.setState({ releasePrompt: null })}>
            Keep stopped
          </button>
          <button type="button" className="danger" data-testid="release-confirm" disabled={!checked} onClick={() => controller.robots.release(target)}>
            Release the stop
          </button>
        </div>
      </div>
    </div>
  );
}

export function ReleaseDialog() {
  const target = useRobots((s) => s.releasePrompt);
  // Keyed: a new prompt starts unticked.
  return target === null ? null : <Prompt key={target} target={target} />;
}
