/** decision:stored → an OPERATOR TDR in the output folder. */
import { join } from 'node:path';
import { uidFromUuid, writeOperatorTdr } from '@clearway/dicos';
import type { DecisionStored } from '@clearway/protocol';
import { fileExists, writeFileAtomic } from './files.ts';

export type OperatorTdrOutcome =
  | { status: 'written'; path: string; sopInstanceUid: string }
  /** The same decision came again (a resend after a lost ack): the file is already there. */
  | { status: 'exists'; path: string; sopInstanceUid: string }
  /** The bag did not come from a DICOS file: there is no image to reference. */
  | { status: 'no-source' };

const inProgress = new Map<string, Promise<OperatorTdrOutcome>>();

/** The SOP Instance UID of the operator TDR for a decision: the decision's UUID under 2.25. */
export function operatorTdrUid(decisionId: string): string {
  return uidFromUuid(decisionId);
}

/**
 * Writes the operator TDR of a decision to `<outDir>/<TDR SOP Instance UID>.dcm`, atomically
 * (temporary file, fsync, rename). The UID comes from the decision ID, so the same decision twice
 * finds its file already written and writes nothing.
 */
export function writeOperatorTdrFile(outDir: string, decision: DecisionStored): Promise<OperatorTdrOutcome> {
  const key = `${outDir}\0${decision.decisionId}`;
  const running = inProgress.get(key);
  if (running) return running;
  const job = write(outDir, decision).finally(() => inProgress.delete(key));
  inProgress.set(key, job);
  return job;
}

async function write(outDir: string, decision: DecisionStored): Promise<OperatorTdrOutcome> {
  const source = decision.source;
  if (!source) return { status: 'no-source' };
  const sopInstanceUid = operatorTdrUid(decision.decisionId);
  const path = join(outDir, `${sopInstanceUid}.dcm`);
  if (await fileExists(path)) return { status: 'exists', path, sopInstanceUid };
  const bytes = writeOperatorTdr({
    imageSopInstanceUid: source.sopInstanceUid,
    imageSopClassUid: source.sopClassUid,
    ...(source.studyInstanceUid ? { studyInstanceUid: source.studyInstanceUid } : {}),
    ...(source.seriesInstanceUid ? { imageSeriesInstanceUid: source.seriesInstanceUid } : {}),
    sopInstanceUid,
    createdAt: new Date(decision.storedAt),
    decision: { verdict: decision.verdict, officer: decision.officer, decidedAt: decision.decidedAt, shownAt: decision.shownAt },
  });
  await writeFileAtomic(path, bytes);
  return { status: 'written', path, sopInstanceUid };
}
