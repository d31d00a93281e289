/** In the header: shift leads, admins and robot operators switch between screening and the robot fleet. */
import { useSession } from '../session-store.ts';
import { useRobots } from './robot-store.ts';
import { canOpenRobots, shownView } from './workspace-view.ts';

export function WorkspaceSwitch() {
  const role = useSession((s) => s.officer?.role);
  const chosen = useRobots((s) => s.view);
  if (!canOpenRobots(role)) return null;
  const view = shownView(role, chosen);
  return (
    <button type="button" data-testid="workspace-switch" onClick={() => useRobots.setState({ view: view === 'robots' ? 'screening' : 'robots' })}>
      {view === 'robots' ? 'Open screening' : 'Open robot fleet'}
    </button>
  );
}
