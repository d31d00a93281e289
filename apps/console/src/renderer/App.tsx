import { DashboardWorkspace } from './dashboard/DashboardWorkspace.tsx';
import { useDashboard } from './dashboard/dashboard-store.ts';
import { showDashboard } from './dashboard/dashboard-view.ts';
import { RobotWorkspace } from './robots/RobotWorkspace.tsx';
import { useRobots } from './robots/robot-store.ts';
import { shownView } from './robots/workspace-view.ts';
import { SearchWorkspace } from './search/SearchWorkspace.tsx';
import { SignIn } from './SignIn.tsx';
import { Workspace } from './Workspace.tsx';
import { useSession } from './session-store.ts';

export function App() {
  const phase = useSession((s) => s.phase);
  const role = useSession((s) => s.officer?.role);
  const chosen = useRobots((s) => s.view);
  const dashboardOpen = useDashboard((s) => s.open);
  if (phase !== 'signed-in' && phase !== 'resuming') return <SignIn />;
  if (role === 'search-officer') return <SearchWorkspace />;
  if (showDashboard(role, dashboardOpen)) return <DashboardWorkspace />;
  return shownView(role, chosen) === 'robots' ? <RobotWorkspace /> : <Workspace />;
}
