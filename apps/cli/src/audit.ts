// `pnpm clearway audit …` (verify, anchor, export, tail) and `pnpm clearway decisions export --tdr DIR`.
import { createWriteStream } from 'node:fs';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { SOP_CLASS, uidFromUuid, writeOperatorTdr, type OperatorTdrInput } from '@clearway/dicos';
import type { AuditActor, DecisionStored } from '@clearway/protocol';
import type { AuditRecord, Store } from '@clearway/store';

type Run = (action: (store: Store) => Promise<void> | void) => Promise<void>;

/** The administrator at this shell, as the audit trail names them. */
export function cliActor(): AuditActor {
  let name: string | undefined;
  try { name = userInfo().username; } catch { /* no passwd entry (some containers) */ }
  return { kind: 'cli', id: (name || process.env['USER'] || 'unknown').slice(0, 128) };
}

function timeArg(value: string): string {
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw new InvalidArgumentError('an ISO 8601 date-time such as 2026-03-01T06:00:00Z');
  return new Date(t).toISOString();
}

function countArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
}

const HASH = /^[0-9a-f]{64}$/;

/** RFC 4180: quote a field when it holds a comma, quote or line break. Empty for null. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const AUDIT_CSV_COLUMNS = ['seq', 'at', 'actor_kind', 'actor_id', 'type', 'subject_id', 'payload', 'prev_hash', 'hash'] as const;

function csvLine(r: AuditRecord): string {
  return [r.seq, r.at, r.actorKind, r.actorId, r.type, r.subjectId, r.payload, r.prevHash, r.hash].map(csvField).join(',') + '\r\n';
}

/** A row as `audit tail` prints it: the payload as JSON, not as text. */
function printable(r: AuditRecord) {
  let payload: unknown;
  try { payload = JSON.parse(r.payload); } catch { payload = r.payload; }
  return { seq: r.seq, at: r.at, type: r.type, actor: { kind: r.actorKind, id: r.actorId }, subjectId: r.subjectId, payload, prevHash: r.prevHash, hash: r.hash };
}

/**
 * The operator TDR of a decision, as the DICOS hot folder writes it. A scan that did not come from
 * a DICOS file is referred to by a DX image UID made from its bag ID (as `clearway dicos tdr` does).
 */
export function decisionTdrInput(d: DecisionStored): OperatorTdrInput {
  const source = d.source;
  return {
    imageSopInstanceUid: source?.sopInstanceUid ?? uidFromUuid(d.bagId),
    imageSopClassUid: source?.sopClassUid ?? SOP_CLASS.dxForProcessing,
    ...(source?.studyInstanceUid ? { studyInstanceUid: source.studyInstanceUid } : {}),
    ...(source?.seriesInstanceUid ? { imageSeriesInstanceUid: source.seriesInstanceUid } : {}),
    sopInstanceUid: uidFromUuid(d.decisionId),
    createdAt: new Date(d.storedAt),
    decision: { verdict: d.verdict, officer: d.officer, decidedAt: d.decidedAt, shownAt: d.shownAt },
  };
}

const exists = (path: string) => access(path).then(() => true, () => false);

export function registerAuditCommands(program: Command, run: Run): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit trail');

  audit.command('verify')
    .description('check every row of the audit trail; exit 1 naming the first broken row')
    .option('--anchor <hash>', 'a head hash written down earlier (audit anchor): also catches a shortened or rewritten trail')
    .action((o: { anchor?: string }) => run((store) => {
      if (o.anchor !== undefined && !HASH.test(o.anchor)) {
        console.error('clearway: --anchor takes the 64 hex digits that `audit anchor` printed');
        process.exitCode = 2;
        return;
      }
      const result = store.audit.verify(o.anchor === undefined ? {} : { anchor: o.anchor });
      console.log(JSON.stringify(result));
      if (!result.ok) {
        console.error(`clearway: audit trail broken${result.seq === null ? '' : ` at row ${result.seq}`}: ${result.message}`);
        process.exitCode = 1;
      }
    }));

  audit.command('anchor')
    .description('print the head of the trail (seq and hash): write it down outside this machine, check later with verify --anchor')
    .action(() => run((store) => {
      const head = store.audit.head();
      console.log(JSON.stringify({ rows: store.audit.count(), seq: head?.seq ?? 0, hash: head?.hash ?? null, at: head?.at ?? null }));
    }));

  audit.command('export')
    .description('write the trail (or part of it) as CSV, one row per event, with both hashes so it can be checked elsewhere')
    .requiredOption('--csv <file>', 'output file; - for standard output')
    .option('--from <time>', 'first moment included (ISO 8601)', timeArg)
    .option('--to <time>', 'first moment no longer included (ISO 8601)', timeArg)
    .action((o: { csv: string; from?: string; to?: string }) => run(async (store) => {
      const out = o.csv === '-' ? process.stdout : createWriteStream(`${o.csv}.partial`);
      const write = async (text: string) => { if (!out.write(text)) await once(out, 'drain'); };
      let rows = 0;
      await write(AUDIT_CSV_COLUMNS.join(',') + '\r\n');
      for (const r of store.audit.entries({ ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) })) {
        await write(csvLine(r));
        rows++;
      }
      if (out !== process.stdout) {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        await rename(`${o.csv}.partial`, o.csv); // a half-written export never looks complete
        console.log(JSON.stringify({ rows, file: o.csv }));
      }
    }));

  audit.command('tail')
    .description('print the newest rows, oldest first, one JSON object per line')
    .option('-n, --rows <n>', 'how many', countArg, 20)
    .action((o: { rows: number }) => run((store) => {
      for (const r of store.audit.tail(o.rows)) console.log(JSON.stringify(printable(r)));
    }));

  const decisions = program.commands.find((c) => c.name() === 'decisions') ?? program.command('decisions');
  decisions.command('export')
    .description('write each stored decision as a DICOS operator TDR (<TDR SOP Instance UID>.dcm; files already there are kept)')
    .requiredOption('--tdr <dir>', 'output folder')
    .option('--from <time>', 'decisions stored from (ISO 8601)', timeArg)
    .option('--to <time>', 'decisions stored before (ISO 8601)', timeArg)
    .action((o: { tdr: string; from?: string; to?: string }) => run(async (store) => {
      await mkdir(o.tdr, { recursive: true });
      let written = 0;
      let existing = 0;
      for (const d of store.screening.decisionReports({ ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) })) {
        const input = decisionTdrInput(d);
        const path = join(o.tdr, `${input.sopInstanceUid}.dcm`);
        // Same decision, same UID, same file name as the hot folder's: a second export adds only new decisions.
        if (await exists(path)) { existing++; continue; }
        await writeFile(`${path}.partial`, writeOperatorTdr(input));
        await rename(`${path}.partial`, path);
        written++;
      }
      console.log(JSON.stringify({ written, existing, dir: o.tdr }));
    }));
}
