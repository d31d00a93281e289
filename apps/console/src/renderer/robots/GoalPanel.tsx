/** The selected robot's goal: where it goes, distance left and ETA while it drives; dock and cancel. */
import { useController } from '../controller-context.ts';
import { commandText, stopWords } from './commands.ts';
import { type ShownLinkState, canCommand } from './fleet.ts';
import { NAV_WORDS, distanceText, etaSeconds, etaText, pointText, robotName } from './robot-format.ts';
import { ROBOT_KEYS } from './robot-keys.ts';
import { useRobots } from './robot-store.ts';
import { MAP } from './TerminalMapView.tsx';
import { zoneAt } from './terminal-map.ts';

const ACTIVE = new Set(['accepted', 'executing', 'canceling']);

export function GoalPanel({ link }: { link: ShownLinkState | null }) {
  const controller = useController();
  const selectedId = useRobots((s) => s.selectedId);
  const entry = useRobots((s) => (s.selectedId ? s.fleet.robots[s.selectedId] : undefined));
  const command = useRobots((s) => (s.selectedId ? s.commands[s.selectedId] : undefined));
  const sentGoal = useRobots((s) => (s.selectedId ? s.sentGoals[s.selectedId] : undefined));

  if (!selectedId || !entry || !link) {
    return <section className="goal-panel">Select a robot in the fleet list or on the map.</section>;
  }
  const { state } = entry;
  const nav = state.nav;
  const active = nav !== null && ACTIVE.has(nav.status);
  const goal = nav?.goal ?? (active ? (sentGoal ?? null) : null);
  const stop = stopWords(state.emergencyStop, command);
  const reachable = canCommand(link);
  const where = state.pose && MAP.ok ? zoneAt(MAP.map, state.pose.x, state.pose.y)?.name : undefined;
  const hint = !reachable
    ? `${robotName(selectedId)} cannot take commands now.`
    : stop.stopped
      ? `${robotName(selectedId)} is stopped: release the stop before sending a goal.`
      : `Click the map to send ${robotName(selectedId)} there.`;

  return (
    <section className="goal-panel" aria-label={`${robotName(selectedId)}: goal`} data-testid="goal-panel">
      <div className="goal-facts">
        <span className="goal-robot">{robotName(selectedId)}</span>
        <span>
          <span className="fact-name">At</span> {pointText(state.pose)}
          {where ? ` · ${where}` : ''}
        </span>
        <span data-testid="goal-nav">{nav ? NAV_WORDS[nav.status].text : 'No navigation status'}</span>
        {goal && (
          <span>
            <span className="fact-name">Goal</span> {pointText(goal)}
          </span>
        )}
        {active && (
          <>
            <span>
              <span className="fact-name">Distance left</span> <span data-testid="goal-distance">{distanceText(nav.distanceRemaining)}</span>
            </span>
            <span>
              <span className="fact-name">ETA</span> <span data-testid="goal-eta">{etaText(etaSeconds(nav, state.velocity))}</span>
            </span>
          </>
        )}
      </div>
      <div className="goal-actions">
        <span className="goal-hint" data-testid="goal-hint">
          {hint}
        </span>
        {command && (
          <span className={`command-status phase-${command.phase}`} data-testid="command-status" role="status">
            {commandText(command)}
          </span>
        )}
        <button type="button" data-testid="dock" data-key={ROBOT_KEYS.dock.cap} aria-keyshortcuts="D" disabled={!reachable || stop.stopped} onClick={() => controller.robots.dock(selectedId)}>
          Dock
        </button>
        <button type="button" data-testid="cancel-goal" data-key={ROBOT_KEYS['cancel-goal'].cap} aria-keyshortcuts="X" disabled={!reachable || !active} onClick={() => controller.robots.cancel(selectedId)}>
          Cancel goal
        </button>
      </div>
    </section>
  );
}
