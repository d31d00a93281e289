/**
 * Keys in the robot operator's workspace. Space stops every robot: the biggest key, found
 * without looking. No key fires while the operator types in a text field, and none with
 * Ctrl/Alt/Meta (Ctrl+Space switches input methods). Releasing a stop has no key on purpose.
 */
import { isTypingTarget } from '../keys.ts';

export type RobotKeyCommand =
  | { kind: 'stop-all' }
  | { kind: 'stop-selected' }
  | { kind: 'dock' }
  | { kind: 'cancel-goal' }
  | { kind: 'select'; index: number }
  | { kind: 'help' };

export interface RobotKey {
  readonly cap: string;
  readonly label: string;
}

export const ROBOT_KEYS = {
  'stop-all': { cap: 'Space', label: 'Emergency stop: ALL robots' },
  'stop-selected': { cap: 'S', label: 'Emergency stop: the selected robot' },
  dock: { cap: 'D', label: 'Send the selected robot to its dock' },
  'cancel-goal': { cap: 'X', label: "Cancel the selected robot's goal" },
  select: { cap: '1–9', label: 'Select robot 1 to 9 in the fleet list' },
  help: { cap: '?', label: 'This help' },
} as const satisfies Record<RobotKeyCommand['kind'], RobotKey>;

interface KeyLike {
  key: string;
  code?: string;
  repeat: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: unknown;
}

export function robotCommandForKey(event: KeyLike): RobotKeyCommand | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  if (isTypingTarget(event.target)) return null;
  // Held down, Space keeps stopping: harmless, but one command per press is enough.
  if (event.repeat) return null;
  if (event.key === ' ' || event.code === 'Space') return { kind: 'stop-all' };
  const key = event.key.toUpperCase();
  if (key === 'S') return { kind: 'stop-selected' };
  if (key === 'D') return { kind: 'dock' };
  if (key === 'X') return { kind: 'cancel-goal' };
  if (key === '?') return { kind: 'help' };
  if (/^[1-9]$/.test(key)) return { kind: 'select', index: Number(key) - 1 };
  return null;
}
