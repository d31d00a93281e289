/** Every robot at a glance: link, message age, battery, navigation, stop, diagnostics. */
import type { HubRobotState } from '@clearway/protocol';
import { useController } from '../controller-context.ts';
import { stopWords } from './commands.ts';
import { type ShownLinkState, messageAgeMs } from './fleet.ts';
import { DIAGNOSTIC_WORDS, LINK_WORDS, NAV_WORDS, type Tone, ageText, batteryText, batteryTone, robotName } from './robot-format.ts';
import { selectRobot, useRobots } from './robot-store.ts';

export function Badge({ tone, text, testId }: { tone: Tone; text: string; testId?: string }) {
  return (
    <span className={`badge tone-${tone}`} data-testid={testId}>
      <span className="badge-mark" aria-hidden="true" />
      {text}
    </span>
  );
}

/** Issues worth a line under the robot: what is wrong with its link or its data. */
function issueLines(state: HubRobotState, link: ShownLinkState): readonly string[] {
  if (link === 'missing') return ['The hub no longer reports this robot. Check its bridge.'];
  if (link === 'no-news') return ['Nothing from the hub about this robot for more than 5 s.'];
  if (link === 'console-offline') return [];
  if (link === 'disconnected' && state.link.issues.length === 0) return ["No link to the robot's bridge."];
  return link === 'live' || link === 'connecting' ? [] : state.link.issues;
}

export function FleetList({ now, links }: { now: number; links: Readonly<Record<string, ShownLinkState>> }) {
  const controller = useController();
  const fleet = useRobots((s) => s.fleet);
  const selectedId = useRobots((s) => s.selectedId);
  const commands = useRobots((s) => s.commands);
  const snapshotAt = useRobots((s) => s.snapshotAt);

  if (fleet.order.length === 0) {
    return (
      <section className="fleet-list" aria-label="Fleet">
        <h2 className="panel-title">Fleet</h2>
        <p className="panel-empty" data-testid="fleet-empty">
          {snapshotAt === null ? 'Waiting for the fleet from the hub…' : 'No robots reported. Is the robot bridge running?'}
        </p>
      </section>
    );
  }

  return (
    <section className="fleet-list" aria-label="Fleet">
      <h2 className="panel-title">Fleet · {fleet.order.length} robots</h2>
      <ol className="fleet-rows">
        {fleet.order.map((id, index) => {
          const entry = fleet.robots[id];
          if (!entry) return null;
          const { state } = entry;
          const link = links[id] ?? 'connecting';
          const linkWords = LINK_WORDS[link];
          const stop = stopWords(state.emergencyStop, commands[id]);
          const nav = state.nav ? NAV_WORDS[state.nav.status] : { text: 'No navigation', tone: 'idle' as const };
          const diag = state.diagnostics ? DIAGNOSTIC_WORDS[state.diagnostics.level] : { text: 'No diagnostics', tone: 'warn' as const };
          const issues = issueLines(state, link);
          const selected = id === selectedId;
          return (
            <li key={id} className={`fleet-row${selected ? ' selected' : ''} link-${link}`} data-testid={`robot-row-${id}`} data-link={link}>
              <button type="button" className="fleet-select" aria-pressed={selected} onClick={() => selectRobot(id)}>
                <span className="fleet-head">
                  {index < 9 && <kbd>{index + 1}</kbd>}
                  <span className="fleet-name">{robotName(id)}</span>
                  <Badge tone={linkWords.tone} text={linkWords.text} testId={`robot-link-${id}`} />
                </span>
                <span className="fleet-facts">
                  <span title="Time since the robot's last message">
                    <span className="fact-name">Last msg</span> {ageText(messageAgeMs(entry, now))}
                  </span>
                  <span className={`tone-text-${batteryTone(state.battery)}`} data-testid={`robot-battery-${id}`}>
                    <span className="fact-name">Battery</span> {batteryText(state.battery)}
                  </span>
                  <span className={`tone-text-${nav.tone}`} data-testid={`robot-nav-${id}`}>
                    {nav.text}
                  </span>
                  <span className={`tone-text-${diag.tone}`}>
                    <span className="fact-name">Health</span> {diag.text}
                  </span>
                  {state.pose === null && <span className="tone-text-warn">Position unknown</span>}
                </span>
                {issues.length > 0 && (
                  <span className="fleet-issues" data-testid={`robot-issues-${id}`}>
                    {issues.slice(0, 3).join(' · ')}
                  </span>
                )}
              </button>
              <div className="fleet-stop">
                <span className={`stop-state tone-text-${stop.tone}`} data-testid={`robot-estop-${id}`} data-stopped={stop.stopped} data-confirmed={stop.confirmed}>
                  {stop.text}
                </span>
                {stop.stopped ? (
                  <button type="button" className="release" onClick={() => useRobots.setState({ releasePrompt: id })}>
                    Release…
                  </button>
                ) : (
                  <button type="button" className="estop estop-small" data-testid={`stop-${id}`} onClick={() => controller.robots.stop(id)}>
                    Stop
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
