/** In the header: shift leads and admins open the flight dashboard, or leave it for screening. */
import { useSession } from '../session-store.ts';
import { closeDashboard, openDashboard, useDashboard } from './dashboard-store.ts';
import { canOpenDashboard, showDashboard } from './dashboard-view.ts';
import { useT } from './i18n.ts';

export function DashboardSwitch() {
  const t = useT();
  const role = useSession((s) => s.officer?.role);
  const open = useDashboard((s) => s.open);
  if (!canOpenDashboard(role)) return null;
  const shown = showDashboard(role, open);
  return (
    <button type="button" data-testid="dashboard-switch" onClick={() => (shown ? closeDashboard() : openDashboard())}>
      {shown ? t('dashboard.close') : t('dashboard.open')}
    </button>
  );
}
