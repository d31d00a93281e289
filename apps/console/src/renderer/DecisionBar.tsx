import type { Verdict } from '@clearway/protocol';
import { useController } from './controller-context.ts';
import { COMMAND_KEYS } from './keys.ts';
import { beginSearch } from './search/search-form-store.ts';

interface Props {
  /** When the bag on screen was first painted; undefined until then (or when there is no bag). */
  shownAt: string | undefined;
  allowed: boolean;
}

const DECISIONS: readonly { verdict: Verdict; label: string }[] = [
  { verdict: 'clear', label: 'Clear' },
  { verdict: 'search', label: 'Search' },
];

export function DecisionBar({ shownAt, allowed }: Props) {
  const controller = useController();
  const open = shownAt !== undefined && allowed;
  return (
    <div className="decision-bar" role="group" aria-label="Decision">
      {DECISIONS.map(({ verdict, label }) => (
        <button
          key={verdict}
          type="button"
          className={`decide decide-${verdict}`}
          data-testid={`decide-${verdict}`}
          data-key={COMMAND_KEYS[verdict]}
          aria-keyshortcuts={COMMAND_KEYS[verdict]}
          disabled={!open}
          // Search opens the form for marks and a note first (search/SearchForm.tsx).
          onClick={() => (verdict === 'search' ? beginSearch(Date.now()) : controller.decide(verdict, Date.now()))}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
