import { useEffect, useState } from 'react';
import { useController } from './controller-context.ts';
import { ROLE_NAMES, waitTime } from './format.ts';
import { COMMAND_KEYS } from './keys.ts';
import { linkStateParts } from './link-state.ts';
import { busiestLanes, laneDetails, priorityDetails, raisedBags } from './queue-summary.ts';
import { WorkspaceSwitch } from './robots/WorkspaceSwitch.tsx';
import { DashboardSwitch } from './dashboard/DashboardSwitch.tsx';
import { ScreenTime } from './workload/BreakReminder.tsx';
import { unsentCount } from './outbox.ts';
import { useOutbox } from './outbox-store.ts';
import { useScreening } from './screening-store.ts';
import { useSession } from './session-store.ts';

/** How long "Sign out anyway?" stays armed. */
const CONFIRM_MS = 5000;

function LinkIndicator() {
  const link = useSession((s) => s.link);
  const waiting = useOutbox((s) => unsentCount(s.entries));
  const parts = linkStateParts(link, waiting);
  return (
    <span className={`link link-${link}`} role="status">
      <span className="link-dot" aria-hidden="true" />
      <span data-testid="link-state">
        {parts.label}
        {parts.waiting && (
          <>
            {' · '}
            <span data-testid="outbox-count">{parts.waiting.count}</span> {parts.waiting.noun} waiting
          </>
        )}
      </span>
    </span>
  );
}

function QueueStrip() {
  const status = useScreening((s) => s.queueStatus);
  return (
    <dl className="queue">
      <div>
        <dt>Bags waiting</dt>
        <dd data-testid="queue-depth">{status ? status.waitingBags : '—'}</dd>
      </div>
      <div>
        <dt>Officers available</dt>
        <dd>{status ? `${status.officersAvailable} of ${status.officersSignedIn}` : '—'}</dd>
      </div>
      <div>
        <dt>Oldest wait</dt>
        <dd>{status ? waitTime(status.oldestWaitMs) : '—'}</dd>
      </div>
      <div title={status ? priorityDetails(status) : undefined}>
        <dt>Raised</dt>
        <dd data-testid="queue-raised">{status ? raisedBags(status) : '—'}</dd>
      </div>
      <div title={status ? laneDetails(status) : undefined}>
        <dt>Busiest lanes</dt>
        <dd data-testid="queue-lanes">{status ? busiestLanes(status) : '—'}</dd>
      </div>
    </dl>
  );
}

function SignOutButton() {
  const controller = useController();
  const officerId = useSession((s) => s.officer?.id);
  const mine = useOutbox((s) => unsentCount(s.entries.filter((e) => e.officerId === officerId)));
  const [armed, setArmed] = useState(false);

  useEffect(() => {
    if (!armed) return;
    const timer = setTimeout(() => setArmed(false), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [armed]);

  // Decisions not yet at the hub stay on this console; say so before the officer walks away.
  if (armed && mine > 0) {
    return (
      <button type="button" className="danger" data-testid="sign-out" onClick={() => controller.signOut()}>
        Sign out anyway ({mine} not sent)
      </button>
    );
  }
  return (
    <button type="button" data-testid="sign-out" onClick={() => (mine > 0 ? setArmed(true) : controller.signOut())}>
      Sign out
    </button>
  );
}

export function Header() {
  const controller = useController();
  const officer = useSession((s) => s.officer);
  const phase = useSession((s) => s.phase);
  const availability = useSession((s) => s.availability);
  const pending = useSession((s) => s.availabilityPending);
  const link = useSession((s) => s.link);

  return (
    <header className="top-bar">
      <div className="brand">Clearway</div>
      <div className="officer">
        <span className="officer-name" data-testid="officer-name">
          {officer?.name ?? '—'}
        </span>
        <span className="officer-role" data-testid="officer-role">
          {officer ? ROLE_NAMES[officer.role] : ''}
        </span>
      </div>
      <QueueStrip />
      <div className="top-bar-end">
        <ScreenTime />
        <LinkIndicator />
        <WorkspaceSwitch />
        <DashboardSwitch />
        <button
          type="button"
          className={`availability availability-${availability}`}
          data-testid="availability"
          data-key={COMMAND_KEYS['toggle-availability']}
          aria-keyshortcuts={COMMAND_KEYS['toggle-availability']}
          aria-pressed={availability === 'on-break'}
          title="Toggle availability (B)"
          disabled={phase !== 'signed-in' || pending || link !== 'connected'}
          onClick={() => void controller.toggleAvailability()}
        >
          {availability === 'available' ? 'Available' : 'On break'}
        </button>
        <SignOutButton />
      </div>
    </header>
  );
}
