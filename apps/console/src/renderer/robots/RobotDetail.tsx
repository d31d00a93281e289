/** The selected robot in depth: diagnostics, what is wrong with its data, charts and its log. */
import { clockTime } from '../format.ts';
import { type ShownLinkState } from './fleet.ts';
import { Badge } from './FleetList.tsx';
import { DIAGNOSTIC_WORDS, LINK_WORDS, latencyText, robotName } from './robot-format.ts';
import { useRobots } from './robot-store.ts';
import { TimeChart } from './TimeChart.tsx';

const LOG_SHOWN = 60;

function RobotLog({ robotId }: { robotId: string }) {
  const log = useRobots((s) => s.log);
  const lines = log.filter((l) => l.robotId === robotId || l.robotId === null).slice(-LOG_SHOWN).reverse();
  return (
    <section className="robot-log" aria-label="Log">
      <h3 className="panel-subtitle">Log (newest first)</h3>
      {lines.length === 0 ? (
        <p className="panel-empty">Nothing logged yet.</p>
      ) : (
        <ol className="log-lines" data-testid="robot-log">
          {lines.map((l, i) => (
            <li key={`${l.atMs}-${i}`} className={`log-${l.level}`}>
              <time>{clockTime(new Date(l.atMs).toISOString())}</time>
              <span className="log-level">{l.level}</span>
              <span className="log-source">{l.robotId ? '' : `bridge ${l.deviceId}: `}</span>
              {l.message}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function RobotDetail({ link }: { link: ShownLinkState | null }) {
  const selectedId = useRobots((s) => s.selectedId);
  const entry = useRobots((s) => (s.selectedId ? s.fleet.robots[s.selectedId] : undefined));
  if (!selectedId || !entry || !link) return null;
  const { state } = entry;
  const diag = state.diagnostics;
  const words = LINK_WORDS[link];
  return (
    <section className="robot-detail" aria-label={`${robotName(selectedId)}: details`} data-testid="robot-detail">
      <h2 className="panel-title">
        {robotName(selectedId)} <Badge tone={words.tone} text={words.text} />
      </h2>
      <dl className="detail-facts">
        <div>
          <dt>Health</dt>
          <dd>
            {diag ? (
              <>
                <Badge tone={DIAGNOSTIC_WORDS[diag.level].tone} text={DIAGNOSTIC_WORDS[diag.level].text} /> {diag.message}
              </>
            ) : (
              'No diagnostics received'
            )}
          </dd>
        </div>
        <div>
          <dt>Link latency</dt>
          <dd>{latencyText(state.link.latencyMs)}</dd>
        </div>
        <div>
          <dt>Bridge</dt>
          <dd>
            {state.deviceId} · {state.endpoint}
          </dd>
        </div>
      </dl>
      {state.link.issues.length > 0 && (
        <ul className="detail-issues" data-testid="robot-detail-issues" aria-label="Problems with this robot's data">
          {state.link.issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      )}
      <div className="charts">
        <TimeChart robotId={selectedId} what="battery" />
        <TimeChart robotId={selectedId} what="latency" />
      </div>
      <RobotLog robotId={selectedId} />
    </section>
  );
}
