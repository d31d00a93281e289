/**
 * What became of the operator's commands: sent, accepted by the robot, rejected, timed out. The
 * hub replies once the bridge answered (an emergency stop after the robot confirmed it).
 */
import { z } from 'zod';
import { type EmergencyStopState, type RobotCommandKind, RobotCommandReply } from '@clearway/protocol';
import type { Tone } from './robot-format.ts';

export type CommandPhase = 'sending' | 'accepted' | 'rejected' | 'timeout' | 'failed';

export interface CommandStatus {
  readonly command: RobotCommandKind;
  readonly phase: CommandPhase;
  /** Why it was not accepted, in words. */
  readonly reason: string | null;
  readonly atMs: number;
}

export type CommandStatuses = Readonly<Record<string, CommandStatus>>;

/** Statuses by robot from the hub's reply (or from a failure to get one). */
export function statusesFromReply(command: RobotCommandKind, robotIds: readonly string[], raw: unknown, atMs: number): { statuses: Record<string, CommandStatus>; error: string | null } {
  const parsed = RobotCommandReply.safeParse(raw);
  if (!parsed.success) return failAll(command, robotIds, `the hub sent an unreadable reply (${z.prettifyError(parsed.error).split('\n')[0] ?? ''})`, atMs);
  const reply = parsed.data;
  if (!reply.ok) return failAll(command, robotIds, reply.error.message, atMs);
  const statuses: Record<string, CommandStatus> = {};
  for (const r of reply.results) statuses[r.robotId] = { command, phase: r.outcome, reason: r.reason, atMs };
  // A robot the command was meant for but no bridge answered about.
  for (const id of robotIds) statuses[id] ??= { command, phase: 'failed', reason: 'no bridge holds this robot', atMs };
  return { statuses, error: reply.results.length === 0 && robotIds.length === 0 ? 'no robot answered' : null };
}

export function failAll(command: RobotCommandKind, robotIds: readonly string[], reason: string, atMs: number): { statuses: Record<string, CommandStatus>; error: string } {
  const statuses: Record<string, CommandStatus> = {};
  for (const id of robotIds) statuses[id] = { command, phase: 'failed', reason, atMs };
  return { statuses, error: reason };
}

export function sendingAll(command: RobotCommandKind, robotIds: readonly string[], atMs: number): Record<string, CommandStatus> {
  return Object.fromEntries(robotIds.map((id) => [id, { command, phase: 'sending', reason: null, atMs } satisfies CommandStatus]));
}

export interface StopWords {
  readonly text: string;
  readonly tone: Tone;
  /** True while the robot is (or is being) stopped: the release action is offered. */
  readonly stopped: boolean;
  /** The robot confirmed the stop. */
  readonly confirmed: boolean;
}

/**
 * A robot's emergency stop in words, from its state (what the bridge link commanded) and this
 * console's last stop or release command for it.
 */
export function stopWords(estop: EmergencyStopState, last: CommandStatus | undefined): StopWords {
  const stopCmd = last && last.command === 'emergency-stop' ? last : undefined;
  const releaseCmd = last && last.command === 'release' ? last : undefined;
  if (stopCmd && (stopCmd.phase === 'rejected' || stopCmd.phase === 'timeout' || stopCmd.phase === 'failed')) {
    return { text: `Stop NOT confirmed — ${stopCmd.reason ?? stopCmd.phase}`, tone: 'bad', stopped: estop === 'engaged', confirmed: false };
  }
  if (stopCmd?.phase === 'accepted') return { text: 'STOPPED — confirmed by the robot', tone: 'bad', stopped: true, confirmed: true };
  if (stopCmd?.phase === 'sending') return { text: 'Stopping — waiting for the robot to confirm', tone: 'warn', stopped: true, confirmed: false };
  if (releaseCmd?.phase === 'sending') return { text: 'Releasing the stop…', tone: 'warn', stopped: true, confirmed: false };
  if (releaseCmd && releaseCmd.phase !== 'accepted' && estop === 'engaged') {
    return { text: `STOPPED — release failed: ${releaseCmd.reason ?? releaseCmd.phase}`, tone: 'bad', stopped: true, confirmed: false };
  }
  if (estop === 'engaged') return { text: 'STOPPED', tone: 'bad', stopped: true, confirmed: false };
  if (estop === 'released') return { text: 'Not stopped', tone: 'idle', stopped: false, confirmed: false };
  // 'unknown': no stop or release went through this link yet (the robot's own button is in its diagnostics).
  return { text: 'No stop sent', tone: 'idle', stopped: false, confirmed: false };
}

/** "Goal sent — waiting", "Dock rejected: battery critical". */
export function commandText(status: CommandStatus): string {
  const what: Record<RobotCommandKind, string> = { goal: 'Goal', cancel: 'Cancel', dock: 'Dock', 'emergency-stop': 'Stop', release: 'Release' };
  const name = what[status.command];
  switch (status.phase) {
    case 'sending':
      return `${name} sent — waiting for the robot`;
    case 'accepted':
      return status.command === 'emergency-stop' ? 'Stop confirmed by the robot' : `${name} accepted by the robot`;
    case 'rejected':
      return `${name} refused: ${status.reason ?? 'no reason given'}`;
    case 'timeout':
      return `${name}: the robot did not answer${status.reason ? ` (${status.reason})` : ''}`;
    case 'failed':
      return `${name} failed: ${status.reason ?? 'unknown error'}`;
  }
}
