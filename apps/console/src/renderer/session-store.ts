import { create } from 'zustand';
import type { Officer, OfficerStatus } from '@clearway/protocol';
import type { LinkState } from './link-state.ts';

/**
 * signed-out: the sign-in screen. signing-in: password sent, waiting for the hub.
 * resuming: reloaded with a session token, reconnecting. signed-in: session:ready received.
 */
export type SessionPhase = 'signed-out' | 'signing-in' | 'resuming' | 'signed-in';

export interface SessionState {
  phase: SessionPhase;
  officer: Officer | null;
  availability: OfficerStatus;
  availabilityPending: boolean;
  link: LinkState;
  /** Shown on the sign-in screen. */
  signInError: string | null;
  /** A short message in the workspace (e.g. availability could not be changed). */
  notice: string | null;
}

export const signedOut: SessionState = {
  phase: 'signed-out',
  officer: null,
  availability: 'available',
  availabilityPending: false,
  link: 'offline',
  signInError: null,
  notice: null,
};

export const useSession = create<SessionState>()(() => signedOut);
