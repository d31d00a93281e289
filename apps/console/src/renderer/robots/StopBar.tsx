/**
 * The emergency stops, always on screen: ALL robots (Space) and the selected robot (S), with the
 * fleet's stop state and whether the robots confirmed it.
 */
import { useController } from '../controller-context.ts';
import { useSession } from '../session-store.ts';
import { stopWords } from './commands.ts';
import { ROBOT_KEYS } from './robot-keys.ts';
import { robotName } from './robot-format.ts';
import { useRobots } from './robot-store.ts';

function allStopText(allStop: NonNullable<ReturnType<typeof useRobots.getState>['allStop']>, offline: boolean): string {
  switch (allStop.phase) {
    case 'sending':
      return 'Stopping ALL robots — waiting for them to confirm…';
    case 'done':
      return `ALL robots stopped — ${allStop.confirmed} of ${allStop.reached} confirmed by the robots`;
    case 'failed':
      return offline
        ? 'Stop NOT sent: this console is offline. Use the robots’ own stop buttons.'
        : `Stop NOT confirmed by every robot: ${allStop.error ?? 'unknown error'}. ${allStop.confirmed} of ${allStop.reached} confirmed.`;
  }
}

export function StopBar() {
  const controller = useController();
  const fleet = useRobots((s) => s.fleet);
  const commands = useRobots((s) => s.commands);
  const selectedId = useRobots((s) => s.selectedId);
  const allStop = useRobots((s) => s.allStop);
  const link = useSession((s) => s.link);
  const stopped = fleet.order.filter((id) => {
    const entry = fleet.robots[id];
    return entry ? stopWords(entry.state.emergencyStop, commands[id]).stopped : false;
  }).length;
  const selected = selectedId ? fleet.robots[selectedId] : undefined;
  const selectedStop = selected && selectedId ? stopWords(selected.state.emergencyStop, commands[selectedId]) : null;

  return (
    <section className="stop-bar" aria-label="Emergency stop">
      <button
        type="button"
        className="estop estop-all"
        data-testid="stop-all"
        aria-keyshortcuts="Space"
        title="Emergency stop every robot (Space)"
        onClick={() => controller.robots.stopAll()}
      >
        STOP ALL ROBOTS
        <kbd>{ROBOT_KEYS['stop-all'].cap}</kbd>
      </button>
      {selectedId && selectedStop && (
        selectedStop.stopped ? (
          <button type="button" className="release" data-testid="release-selected" onClick={() => useRobots.setState({ releasePrompt: selectedId })}>
            Release {robotName(selectedId)}…
          </button>
        ) : (
          <button type="button" className="estop estop-one" data-testid="stop-selected" aria-keyshortcuts="S" onClick={() => controller.robots.stop(selectedId)}>
            Stop {robotName(selectedId)}
            <kbd>S</kbd>
          </button>
        )
      )}
      <p className="stop-summary" role="status" aria-live="polite" data-testid="stop-summary">
        {allStop ? (
          <span className={`all-stop-${allStop.phase}`} data-testid="all-stop-state" data-phase={allStop.phase}>
            {allStopText(allStop, link !== 'connected')}
          </span>
        ) : (
          <span>{stopped === 0 ? 'No robot is stopped' : `${stopped} of ${fleet.order.length} robots stopped`}</span>
        )}
      </p>
      {stopped > 0 && (
        <button type="button" className="release" data-testid="release-all" onClick={() => useRobots.setState({ releasePrompt: '*' })}>
          Release all…
        </button>
      )}
    </section>
  );
}
