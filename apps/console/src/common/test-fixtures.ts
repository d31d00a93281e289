import type { DecisionOutboxEntry } from './ipc.ts';

/** One valid outbox entry (a decision) for tests of the IPC map and both outbox stores; override what a test varies. */
export function sampleOutboxEntry(over: Partial<DecisionOutboxEntry> = {}, payload: Partial<DecisionOutboxEntry['payload']> = {}): DecisionOutboxEntry {
  return {
    idempotencyKey: '7d7c1f5e-8a59-4a39-9a51-0c6f0f0b2a11',
    officerId: 'officer-7',
    bagTag: '0123456789',
    payload: {
      idempotencyKey: '7d7c1f5e-8a59-4a39-9a51-0c6f0f0b2a11',
      assignmentId: '1f0b8d7e-2c41-4a55-8b1e-2f3c4d5e6f70',
      bagId: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      verdict: 'clear',
      shownAt: '2030-01-01T10:00:00.000Z',
      decidedAt: '2030-01-01T10:00:02.500Z',
      ...payload,
    },
    createdAt: '2030-01-01T10:00:02.500Z',
    attempts: 0,
    state: 'waiting',
    ...over,
  };
}
