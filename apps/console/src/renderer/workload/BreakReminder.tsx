/**
 * The screening officer's time at the screen (in the header) and, once the hub says a break is
 * due, a reminder above the decision keys. Not a modal: the bag on screen can still be decided.
 */
import { useController } from '../controller-context.ts';
import { useNow } from '../dashboard/use-now.ts';
import { useSession } from '../session-store.ts';
import { workloadView } from './break-reminder.ts';
import { useWorkload } from './workload-store.ts';
import './workload.css';

function useWorkloadView() {
  const latest = useWorkload((s) => s.latest);
  const availability = useSession((s) => s.availability);
  const screens = useSession((s) => s.officer?.role === 'screening-officer');
  const now = useNow(1000);
  return screens ? workloadView(latest, now, availability) : null;
}

export function ScreenTime() {
  const view = useWorkloadView();
  if (!view) return null;
  return (
    <span className={`screen-time${view.reminder ? ' screen-time-due' : ''}`} data-testid="screen-time" title={`Time at the screen since your last break; a break is due after ${view.limit}`}>
      On screen <strong data-testid="screen-time-value">{view.onScreen}</strong>
    </span>
  );
}

export function BreakReminder() {
  const controller = useController();
  const view = useWorkloadView();
  const pending = useSession((s) => s.availabilityPending);
  if (!view?.reminder) return null;
  return (
    <div className="break-reminder" data-testid="break-reminder" role="status" aria-live="assertive">
      <span>{view.message}</span>
      <button type="button" data-testid="take-break" disabled={pending} onClick={() => void controller.toggleAvailability()}>
        Take a break
      </button>
    </div>
  );
}
