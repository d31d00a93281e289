/**
 * The robot operator's workspace: emergency stops on top (never scrolled away), the fleet on the
 * left, the terminal map with the selected robot's goal in the middle, details, charts, log and
 * bag missions on the right.
 */
import { useEffect, useMemo, useState } from 'react';
import { useController } from '../controller-context.ts';
import { Header } from '../Header.tsx';
import { useSession } from '../session-store.ts';
import { stopWords } from './commands.ts';
import { type ShownLinkState, canCommand, shownLinkState } from './fleet.ts';
import { FleetList } from './FleetList.tsx';
import { GoalPanel } from './GoalPanel.tsx';
import { MissionList } from './MissionList.tsx';
import { ReleaseDialog } from './ReleaseDialog.tsx';
import { RobotDetail } from './RobotDetail.tsx';
import { ROBOT_KEYS, robotCommandForKey } from './robot-keys.ts';
import { selectRobot, useRobots } from './robot-store.ts';
import { StopBar } from './StopBar.tsx';
import { type MapRobot, TerminalMapView } from './TerminalMapView.tsx';
import './robots.css';

/** Message ages and "no news" move with the clock, not only with pushes. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function useRobotKeys(): void {
  const controller = useController();
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      const command = robotCommandForKey(event);
      if (command === null) return;
      // Space on a focused button would also press it: the stop wins, the button does nothing.
      event.preventDefault();
      const { selectedId, fleet } = useRobots.getState();
      switch (command.kind) {
        case 'stop-all':
          controller.robots.stopAll();
          return;
        case 'stop-selected':
          if (selectedId) controller.robots.stop(selectedId);
          return;
        case 'dock':
        case 'cancel-goal': {
          const entry = selectedId ? fleet.robots[selectedId] : undefined;
          if (!selectedId || !entry) return;
          if (command.kind === 'dock') controller.robots.dock(selectedId);
          else controller.robots.cancel(selectedId);
          return;
        }
        case 'select': {
          const id = fleet.order[command.index];
          if (id) selectRobot(id);
          return;
        }
        case 'help':
          useRobots.setState((s) => ({ helpOpen: !s.helpOpen }));
          return;
      }
    }
    // Capture phase: nothing else on the page can swallow the stop key first.
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [controller]);
}

function RobotHelp() {
  const open = useRobots((s) => s.helpOpen);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') useRobots.setState({ helpOpen: false });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  if (!open) return null;
  return (
    <div className="help-backdrop" role="presentation" onClick={() => useRobots.setState({ helpOpen: false })}>
      <div className="help" role="dialog" aria-label="Robot keys" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>Robot operator keys</h2>
          <button type="button" className="help-close" onClick={() => useRobots.setState({ helpOpen: false })}>
            Close <kbd>Esc</kbd>
          </button>
        </header>
        <dl className="help-section">
          {Object.values(ROBOT_KEYS).map((k) => (
            <div key={k.cap} className="help-row">
              <dt>
                <kbd>{k.cap}</kbd>
              </dt>
              <dd>{k.label}</dd>
            </div>
          ))}
          <div className="help-row">
            <dt>Click</dt>
            <dd>On the map: send the selected robot there. On a robot: select it.</dd>
          </div>
        </dl>
        <p className="help-note">Keys do nothing while you type in a text field. Releasing a stop has no key: use Release… and confirm.</p>
      </div>
    </div>
  );
}

export function RobotWorkspace() {
  useRobotKeys();
  const controller = useController();
  const now = useNow(500);
  const fleet = useRobots((s) => s.fleet);
  const commands = useRobots((s) => s.commands);
  const selectedId = useRobots((s) => s.selectedId);
  const hubConnected = useSession((s) => s.link === 'connected');

  const links = useMemo(() => {
    const out: Record<string, ShownLinkState> = {};
    for (const id of fleet.order) {
      const entry = fleet.robots[id];
      if (entry) out[id] = shownLinkState(entry, now, hubConnected);
    }
    return out;
  }, [fleet, now, hubConnected]);

  const mapRobots: MapRobot[] = useMemo(
    () =>
      fleet.order.flatMap((id, index) => {
        const entry = fleet.robots[id];
        if (!entry) return [];
        return [{ id, index, state: entry.state, link: links[id] ?? 'connecting', stopped: stopWords(entry.state.emergencyStop, commands[id]).stopped }];
      }),
    [fleet, links, commands],
  );

  const selectedLink = selectedId ? (links[selectedId] ?? null) : null;
  const selectedStopped = mapRobots.find((r) => r.id === selectedId)?.stopped ?? false;
  const goalsAllowed = selectedLink !== null && canCommand(selectedLink) && !selectedStopped;

  return (
    <div className="workspace robot-workspace" data-testid="robot-workspace">
      <Header />
      <StopBar />
      <main className="robots">
        <FleetList now={now} links={links} />
        <section className="map-panel" aria-label="Terminal map">
          <div className="map-frame">
            <TerminalMapView robots={mapRobots} selectedId={selectedId} onGoal={goalsAllowed ? (id, goal) => controller.robots.goal(id, goal) : null} onSelect={selectRobot} />
          </div>
          <GoalPanel link={selectedLink} />
        </section>
        <aside className="robot-side">
          <RobotDetail link={selectedLink} />
          <MissionList />
        </aside>
      </main>
      <ReleaseDialog />
      <RobotHelp />
    </div>
  );
}
