import { create } from 'zustand';
import type { OutboxEntry } from './outbox.ts';

/** A read-only mirror of the DecisionOutbox for the UI; the outbox itself owns the entries. */
export const useOutbox = create<{ entries: readonly OutboxEntry[] }>()(() => ({ entries: [] }));
