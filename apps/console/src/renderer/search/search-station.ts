/**
 * The search station on the hub link: the line from `search:queue`, each bag's images from
 * `search:bag`, and the officer's outcome into the outbox (never lost, stored once). Every push
 * and reply is parsed with its protocol schema first.
 */
import type { Socket } from 'socket.io-client';
import { type ConsoleToHubEvents, type HubToConsoleEvents, type ScanView, SearchBagReply, type SearchOutcomeKind, type ThreatClass } from '@clearway/protocol';
import { newIdempotencyKey } from '../ids.ts';
import { type OutboxEntry, type SendOutcome, createOutcomeEntry } from '../outbox.ts';
import { parsePush } from '../pushes.ts';
import { applyPush, chooseClass, chooseOutcome, emptyDraft, markRecorded, moveSelection, outcomePayload, outcomeText, selectedBag, withNote } from './search-line.ts';
import { type SearchStationState, draftOf, useSearchStation } from './search-store.ts';

type ConsoleSocket = Socket<HubToConsoleEvents, ConsoleToHubEvents>;

const IMAGES_ACK_TIMEOUT_MS = 15_000;
/** Images held for the bag on screen and the next one; others are dropped (a bag is megabytes). */
const IMAGES_KEPT = 3;

export class SearchStation {
  constructor(
    private readonly socket: ConsoleSocket,
    private readonly enqueue: (entry: OutboxEntry) => void,
    private readonly now: () => number = Date.now,
  ) {
    socket.on('search:queue', (raw) => {
      const push = parsePush('search:queue', raw);
      if (!push) return;
      useSearchStation.setState((s) => ({ line: applyPush(s.line, push) }));
      this.fetchImages();
    });
  }

  /** ↑ / ↓ through the line. */
  move(delta: 1 | -1): void {
    useSearchStation.setState((s) => ({ selected: moveSelection(s.line, selectedBag(s.line, s.selected)?.bag.bagId ?? null, delta) }));
    this.fetchImages();
  }

  select(bagId: string): void {
    useSearchStation.setState({ selected: bagId });
    this.fetchImages();
  }

  chooseOutcome(outcome: SearchOutcomeKind): void {
    this.draft((d) => chooseOutcome(d, outcome));
  }

  chooseClass(threatClass: ThreatClass): void {
    this.draft((d) => chooseClass(d, threatClass));
  }

  setNote(note: string): void {
    this.draft((d) => withNote(d, note));
  }

  /** Esc: drop the chosen outcome. */
  clearDraft(): void {
    useSearchStation.setState({ draft: emptyDraft, draftFor: null });
  }

  /**
   * Enter: the outcome for the bag on screen goes into the outbox (saved before it is sent) and
   * the bag leaves this screen. False while the outcome is incomplete.
   */
  confirm(officerId: string): boolean {
    const state = useSearchStation.getState();
    const bag = selectedBag(state.line, state.selected);
    if (!bag) return false;
    const at = this.now();
    const payload = outcomePayload(draftOf(state), bag.bag.bagId, newIdempotencyKey(), at);
    if (!payload) return false;
    const bagTag = bag.bag.bagTag;
    const index = state.line.bags.indexOf(bag);
    useSearchStation.setState((s) => {
      const line = markRecorded(s.line, bag.bag.bagId);
      // The next bag in the line comes on screen (or the one before, at the end).
      const next = line.bags[Math.min(index, line.bags.length - 1)]?.bag.bagId ?? null;
      return {
        line, selected: next, draft: emptyDraft, draftFor: null,
        last: { idempotencyKey: payload.idempotencyKey, bagTag, text: outcomeText(payload.outcome, payload.threatClass), delivery: 'waiting' },
      };
    });
    this.enqueue(createOutcomeEntry({ officerId, bagTag, payload, createdAt: new Date(at).toISOString() }));
    this.fetchImages();
    return true;
  }

  /** The outbox's word on an outcome: stored, refused, or still waiting. */
  settled(entry: OutboxEntry, outcome: SendOutcome): void {
    useSearchStation.setState((s) => {
      const last = s.last;
      if (last?.idempotencyKey !== entry.idempotencyKey) return s;
      if (outcome.kind === 'stored') return { last: { ...last, delivery: 'stored' } };
      if (outcome.kind === 'refused') return { last: { ...last, delivery: 'refused', error: outcome.message } };
      return { last: { ...last, delivery: 'waiting' } };
    });
  }

  /** After a reconnect: fetch what failed while the link was down. */
  connected(): void {
    useSearchStation.setState((s) => ({ images: Object.fromEntries(Object.entries(s.images).filter(([, v]) => v.state === 'loaded')) }));
    this.fetchImages();
  }

  private draft(change: (d: SearchStationState['draft']) => SearchStationState['draft']): void {
    useSearchStation.setState((s) => {
      const bag = selectedBag(s.line, s.selected);
      if (!bag) return s;
      return { draft: change(draftOf(s)), draftFor: bag.bag.bagId };
    });
  }

  /** Images for the bag on screen and the next one; the rest are let go. */
  private fetchImages(): void {
    const state = useSearchStation.getState();
    const on = selectedBag(state.line, state.selected);
    if (!on) return;
    const at = state.line.bags.indexOf(on);
    const wanted = state.line.bags.slice(at, at + IMAGES_KEPT - 1).map((b) => b.bag.bagId);
    const keep = new Set(wanted);
    const images = Object.fromEntries(Object.entries(state.images).filter(([id]) => keep.has(id)));
    const toFetch = wanted.filter((id) => images[id] === undefined);
    for (const id of toFetch) images[id] = { state: 'loading' };
    useSearchStation.setState({ images });
    if (!this.socket.connected) {
      for (const id of toFetch) this.setImages(id, { state: 'failed', error: 'no link to the hub' });
      return;
    }
    for (const bagId of toFetch) {
      this.socket.timeout(IMAGES_ACK_TIMEOUT_MS).emit('search:bag', { bagId }, (error, raw) => {
        if (error) return this.setImages(bagId, { state: 'failed', error: 'the hub did not answer' });
        const reply = SearchBagReply.safeParse(raw);
        if (!reply.success) return this.setImages(bagId, { state: 'failed', error: 'the hub sent unreadable images' });
        if (!reply.data.ok) return this.setImages(bagId, { state: 'failed', error: reply.data.error.message });
        this.setImages(bagId, { state: 'loaded', views: reply.data.views as ScanView[] });
      });
    }
  }

  private setImages(bagId: string, images: SearchStationState['images'][string]): void {
    // Only while still wanted: a bag moved past is not brought back.
    useSearchStation.setState((s) => (s.images[bagId] === undefined ? s : { images: { ...s.images, [bagId]: images } }));
  }
}
