/** Who sees the flight dashboard: shift leads and admins, by default, until they open another workspace. */
import { FLIGHT_BOARD_ROLES, type Role } from '@clearway/protocol';

export function canOpenDashboard(role: Role | undefined): boolean {
  return role !== undefined && FLIGHT_BOARD_ROLES.some((r) => r === role);
}

/** `open`: what the officer chose on this console; null: their role's own (the dashboard for those who may open it). */
export function showDashboard(role: Role | undefined, open: boolean | null): boolean {
  return canOpenDashboard(role) && (open ?? true);
}
