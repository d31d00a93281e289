import type { Role } from '@clearway/protocol';

export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  'screening-officer': 'Screening officer',
  'search-officer': 'Search officer',
  'shift-lead': 'Shift lead',
  'robot-operator': 'Robot operator',
  admin: 'Administrator',
};

/** Wall-clock time at the checkpoint, e.g. "14:05:09". */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** A waiting time for the queue strip, e.g. "45 s", "3 min 05 s", "1 h 02 min". */
export function waitTime(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
