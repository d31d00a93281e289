import type { Verdict } from '@clearway/protocol';
import { useController } from './controller-context.ts';
import { COMMAND_KEYS } from './keys.ts';

interface Props {
  /** When the bag on screen was first painted; undefined until then (or when there is no bag). */
  shownAt: string | undefined;
  allowed: boolean;
}

export function DecisionBar({ shownAt, allowed }: Props) {
  const controller = useController();
  const open = shownAt !== undefined && allowed;
  const decide = (verdict: Verdict) => controller.decide(verdict, Date.now());
  return (
    <div className="decision-bar" role="group" aria-label="Decision">
      <button
        type="button"
        className="decide decide-clear"
        data-testid="decide-clear"
        data-key={COMMAND_KEYS.clear}
        aria-keyshortcuts={COMMAND_KEYS.clear}
        disabled={!open}
        onClick={() => decide('clear')}
      >
        Clear
      </button>
      <button
        type="button"
        className="decide decide-search"
        data-testid="decide-search"
        data-key={COMMAND_KEYS.search}
        aria-keyshortcuts={COMMAND_KEYS.search}
        disabled={!open}
        onClick={() => decide('search')}
      >
        Search
      </button>
    </div>
  );
}
