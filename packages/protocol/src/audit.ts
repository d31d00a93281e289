import { z } from 'zod';

/**
 * Audit trail: every event the hub, the CLI or a later module records in the append-only,
 * hash-chained `audit_log` (see packages/store/src/audit.ts for the chain and its encoding).
 * One list, so that an auditor reads here what each row can mean. Add new types at the end.
 */
export const AuditEventType = z.enum([
  // People: subject = the officer ID (as typed, for a refused sign-in).
  'officer.signed-in', // a session was created; payload: method ('password'), address, expiresAt
  'officer.sign-in-refused', // payload: reason ('bad-credentials' | 'session-expired'), address
  'officer.signed-out', // a console's connection to the hub ended; payload: reason (socket.io's), consoles still open
  // Screening: subject = the bag ID.
  'bag.assigned', // payload: assignmentId, officerId
  'bag.withdrawn', // taken back from an officer (signed out too long, time limit); payload: assignmentId, officerId, reason
  'decision.recorded', // payload: decisionId, assignmentId, officerId, verdict, shownAt, decidedAt, idempotencyKey
  // Devices: subject = the device ID.
  'device.registered', // payload: kind
  'device.token-rotated',
  'device.revoked',
  // Accounts: subject = the officer ID.
  'user.created', // payload: name, role, imported
  'user.changed', // payload: what changed (e.g. password: true, sessionsEnded)
  // Configuration, detection models, Threat Image Projection (hooks land with their modules).
  'config.changed', // subject = the setting's key; payload: from, to
  'model.added', // subject = the model ID
  'model.activated', // subject = the model ID
  'tip.projected', // at ingest, before any console sees the bag; subject = the bag ID; payload: projectionId, itemId, itemClass, pose, boxes
  'tip.result', // the response (packages/store/src/tip.ts); subject = the bag ID; payload: projectionId, itemId, itemClass, assignmentId, officerId, verdict, outcome ('hit' | 'miss' | 'timed-out'), found
  'search.outcome-recorded', // subject = the bag ID; payload: outcomeId, decisionId, officerId, outcome, threatClass?, note?, recordedAt, idempotencyKey
  'manifest.received', // subject = the flight key; payload: passengers, bags, replaced (passengers of the earlier manifest), issuedAt?
  'exit-check.directed', // the passenger of a flagged checked bag was stopped at the reclaim exit; subject = the bag ID; payload: bagTag, flight, passengerRef, directedAt
  'bag.selected-for-search', // from the manifest, at arrival; subject = the bag ID; payload: flightKey, passengerRef, score, reasons, riskSelected, randomSelected
]);
export type AuditEventType = z.infer<typeof AuditEventType>;

/** Who did it: an officer, a device, the hub itself (the dispatcher), an administrator at the CLI (OS user), or nobody known. */
export const AuditActorKind = z.enum(['officer', 'device', 'hub', 'cli', 'system', 'anonymous']);
export type AuditActorKind = z.infer<typeof AuditActorKind>;

export const AuditActor = z.object({ kind: AuditActorKind, id: z.string().min(1).max(128) });
export type AuditActor = z.infer<typeof AuditActor>;

/** What a caller appends. The store adds seq, time and the hashes. */
export const AuditEvent = z.object({
  type: AuditEventType,
  actor: AuditActor,
  /** What the event is about (bag, officer, device, model, setting); null when nothing in particular. */
  subjectId: z.string().min(1).max(128).nullable(),
  /** Plain JSON only; stored with sorted keys so that its hash does not depend on key order. */
  payload: z.record(z.string(), z.json()).default({}),
});
export type AuditEvent = z.output<typeof AuditEvent>;
export type AuditEventInput = z.input<typeof AuditEvent>;
