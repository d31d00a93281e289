/** Which workspace an officer sees: robot operators the fleet, shift leads and admins either. */
import type { Role } from '@clearway/protocol';

export type WorkspaceView = 'screening' | 'robots';

const ROBOT_ROLES: ReadonlySet<Role> = new Set<Role>(['robot-operator', 'shift-lead', 'admin']);

export function canOpenRobots(role: Role | undefined): boolean {
  return role !== undefined && ROBOT_ROLES.has(role);
}

export function shownView(role: Role | undefined, chosen: WorkspaceView | null): WorkspaceView {
  if (!canOpenRobots(role)) return 'screening';
  return chosen ?? (role === 'robot-operator' ? 'robots' : 'screening');
}
