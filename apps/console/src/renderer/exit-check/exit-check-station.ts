/**
 * The exit check on the hub link: the list from `exit-check:list` (parsed with its schema) and
 * the officer's stop of a passenger (`exit-check:direct`). A stop is a fact at the exit, not a
 * decision: when the hub cannot be reached the officer is told at once and tries again.
 */
import type { Socket } from 'socket.io-client';
import { type ConsoleToHubEvents, ExitCheckDirectReply, type HubToConsoleEvents } from '@clearway/protocol';
import { parsePush } from '../pushes.ts';
import { bagsToDirect, moveSelection, passengerText, selectedEntry } from './exit-check-model.ts';
import { useExitCheck } from './exit-check-store.ts';

type ConsoleSocket = Socket<HubToConsoleEvents, ConsoleToHubEvents>;

const DIRECT_ACK_TIMEOUT_MS = 10_000;

export class ExitCheckStation {
  constructor(private readonly socket: ConsoleSocket) {
    socket.on('exit-check:list', (raw) => {
      const list = parsePush('exit-check:list', raw);
      if (list) useExitCheck.setState({ entries: list.entries, received: true });
    });
  }

  move(delta: 1 | -1): void {
    useExitCheck.setState((s) => ({ selected: moveSelection(s.entries, s.selected, delta) }));
  }

  select(key: string): void {
    useExitCheck.setState({ selected: key });
  }

  /** The passenger on screen was stopped and sent to the search station with their flagged bags. */
  direct(): void {
    const { entries, selected } = useExitCheck.getState();
    const entry = selectedEntry(entries, selected);
    const bagIds = bagsToDirect(entry);
    if (!entry || bagIds.length === 0) return;
    const who = passengerText(entry);
    this.socket.timeout(DIRECT_ACK_TIMEOUT_MS).emit('exit-check:direct', { bagIds }, (error, raw) => {
      if (error) return useExitCheck.setState({ last: { ok: false, text: `Not recorded (the hub did not answer): ${who}. Try again.` } });
      const reply = ExitCheckDirectReply.safeParse(raw);
      if (!reply.success) return useExitCheck.setState({ last: { ok: false, text: 'Not recorded: the hub sent an answer this console does not understand.' } });
      if (!reply.data.ok) return useExitCheck.setState({ last: { ok: false, text: `Not recorded: ${reply.data.error.message}` } });
      useExitCheck.setState({ last: { ok: true, text: `${who}: sent to the search station with ${bagIds.length} bag${bagIds.length === 1 ? '' : 's'}` } });
    });
  }
}
