/** "Send robot" in the screening workspace: F (fetch), after the officer flagged a bag for search. */
import { isTypingTarget } from '../keys.ts';

/** F for fetch: C, S and B decide and take breaks; image tools and AI boxes use other letters. */
export const SEND_ROBOT_KEY = 'F';

interface KeyLike {
  key: string;
  repeat: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: unknown;
}

export function isSendRobotKey(event: KeyLike): boolean {
  if (event.repeat || event.ctrlKey || event.altKey || event.metaKey || isTypingTarget(event.target)) return false;
  return event.key.toUpperCase() === SEND_ROBOT_KEY;
}
