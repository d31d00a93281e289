/** The link to the hub as the officer sees it in the header. */
export type LinkState = 'connected' | 'reconnecting' | 'offline';

export const LINK_LABEL: Readonly<Record<LinkState, string>> = {
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/**
 * Connected once the socket is up; reconnecting while socket.io is still trying; offline when
 * nothing is trying (signed out, refused, server hung up) or the computer has no network.
 */
export function linkStateOf(socket: { connected: boolean; active: boolean }, networkOnline: boolean): LinkState {
  if (socket.connected) return 'connected';
  if (!networkOnline || !socket.active) return 'offline';
  return 'reconnecting';
}

export interface LinkStateParts {
  label: string;
  /** Present only when decisions wait to reach the hub. */
  waiting: { count: number; noun: 'decision' | 'decisions' } | null;
}

export function linkStateParts(link: LinkState, waitingDecisions: number): LinkStateParts {
  return {
    label: LINK_LABEL[link],
    waiting: waitingDecisions > 0 ? { count: waitingDecisions, noun: waitingDecisions === 1 ? 'decision' : 'decisions' } : null,
  };
}

/** e.g. "Reconnecting… · 2 decisions waiting"; the header renders exactly this text. */
export function linkStateText(link: LinkState, waitingDecisions: number): string {
  const { label, waiting } = linkStateParts(link, waitingDecisions);
  return waiting ? `${label} · ${waiting.count} ${waiting.noun} waiting` : label;
}
