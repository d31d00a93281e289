/** Robots carrying flagged bags to the search station: open missions first, then how recent ones ended. */
import { clockTime } from '../format.ts';
import { useController } from '../controller-context.ts';
import { Badge } from './FleetList.tsx';
import { isOpen, missionList } from './missions.ts';
import { MISSION_WORDS, missionText, robotName } from './robot-format.ts';
import { useRobots } from './robot-store.ts';

export function MissionList() {
  const controller = useController();
  const missions = useRobots((s) => s.missions);
  const notice = useRobots((s) => s.notice);
  const list = missionList(missions);
  return (
    <section className="mission-list" aria-label="Missions">
      <h2 className="panel-title">Bag missions</h2>
      {notice && (
        <p className="notice" role="alert">
          {notice}
        </p>
      )}
      {list.length === 0 ? (
        <p className="panel-empty">No missions yet. A robot is sent when an officer flags a bag for search.</p>
      ) : (
        <table className="missions" data-testid="missions">
          <thead>
            <tr>
              <th>Bag</th>
              <th>Robot</th>
              <th>State</th>
              <th>Asked</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr key={m.missionId} data-testid="mission-row" data-bag={m.bagTag} data-state={m.state} className={isOpen(m) ? 'open' : 'ended'}>
                <td>
                  <span className="mission-bag">{m.bagTag}</span>
                  <span className="mission-lane">{m.lane.replace(/^lane-/, 'Lane ')}</span>
                </td>
                <td>{m.robotId ? robotName(m.robotId) : '—'}</td>
                <td>
                  <Badge tone={MISSION_WORDS[m.state].tone} text={missionText(m)} />
                </td>
                <td>{clockTime(m.requestedAt)}</td>
                <td>
                  {isOpen(m) && (
                    <button type="button" className="small" onClick={() => void controller.robots.cancelMission(m.missionId)}>
                      Cancel
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
