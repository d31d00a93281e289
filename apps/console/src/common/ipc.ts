/**
 * The one typed IPC map between the Electron main process and the renderer (through the
 * preload). Every channel is named here once, with a zod schema for its request and its
 * response; main validates what it receives and what it returns, the preload validates both
 * directions again. Nothing else in the console spells a channel name.
 *
 * This file imports neither Electron nor Node: both sides and the tests share it.
 */
import { z } from 'zod';
import { BagTag, DecisionSubmit, Id, SearchOutcomeSubmit, Timestamp, Uuid } from '@clearway/protocol';

/** What the shell tells the renderer about where it runs. */
export const ShellConfig = z.object({
  hubUrl: z.url({ protocol: /^https?$/ }),
  appVersion: z.string().min(1),
  shell: z.literal('electron'),
});
export type ShellConfig = z.infer<typeof ShellConfig>;

export const OutboxEntryState = z.enum(['waiting', 'sending', 'refused']);
export type OutboxEntryState = z.infer<typeof OutboxEntryState>;

const outboxEntryFields = {
  idempotencyKey: Uuid,
  /** Only this officer's session may send it: the hub refuses a decision on someone else's bag. */
  officerId: Id,
  bagTag: BagTag,
  createdAt: Timestamp,
  attempts: z.number().int().min(0),
  state: OutboxEntryState,
  error: z.string().optional(),
};

/** One officer decision not yet acknowledged by the hub (or refused by it). Entries saved before `kind` existed are decisions. */
export const DecisionOutboxEntry = z.object({ ...outboxEntryFields, kind: z.literal('decision').optional(), payload: DecisionSubmit });
export type DecisionOutboxEntry = z.infer<typeof DecisionOutboxEntry>;
/** A search officer's outcome on a flagged bag, kept and resent exactly like a decision. */
export const SearchOutcomeOutboxEntry = z.object({ ...outboxEntryFields, kind: z.literal('search-outcome'), payload: SearchOutcomeSubmit });
export type SearchOutcomeOutboxEntry = z.infer<typeof SearchOutcomeOutboxEntry>;

export const OutboxEntry = z.union([DecisionOutboxEntry, SearchOutcomeOutboxEntry]);
export type OutboxEntry = z.infer<typeof OutboxEntry>;

export const OutboxEntries = z.array(OutboxEntry);

/** Channel name, request and response of every IPC call. Keys are the bridge's method names. */
export const ipcMap = {
  getConfig: { channel: 'clearway:config:get', request: z.void(), response: ShellConfig },
  outboxLoad: { channel: 'clearway:outbox:load', request: z.void(), response: OutboxEntries },
  outboxSave: { channel: 'clearway:outbox:save', request: OutboxEntries, response: z.void() },
} as const satisfies Record<string, { channel: `clearway:${string}`; request: z.ZodType; response: z.ZodType }>;

export type IpcMap = typeof ipcMap;
export type IpcName = keyof IpcMap;
/** What a caller passes (schema input) and what a handler receives (schema output). */
export type IpcRequestIn = { [K in IpcName]: z.input<IpcMap[K]['request']> };
export type IpcRequestOut = { [K in IpcName]: z.output<IpcMap[K]['request']> };
export type IpcResponse = { [K in IpcName]: z.output<IpcMap[K]['response']> };
/** Calls whose request schema is `z.void()` take no argument. */
export type IpcArgs<K extends IpcName> = IpcMap[K]['request'] extends z.ZodVoid ? [] : [request: IpcRequestIn[K]];

/** The API the preload exposes as `window.clearway`. */
export type ClearwayBridge = { readonly [K in IpcName]: (...args: IpcArgs<K>) => Promise<IpcResponse[K]> };

// Re-typed as a mapped type so that indexing it with a generic K keeps K's own schema types
// (TypeScript's "correlated union" pattern) instead of a union of every channel's types.
type IpcSpecs = {
  [K in IpcName]: {
    channel: string;
    request: z.ZodType<IpcRequestOut[K], IpcRequestIn[K]>;
    response: z.ZodType<IpcResponse[K]>;
  };
};
const specs: IpcSpecs = ipcMap;

export function channelOf(name: IpcName): string {
  return specs[name].channel;
}

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcInvoker {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
}

/** The part of Electron's ipcMain the handlers use. */
export interface IpcHandlerHost<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
}

export class IpcValidationError extends Error {
  constructor(
    readonly channel: string,
    readonly direction: 'request' | 'response',
    detail: string,
  ) {
    super(`IPC ${channel}: invalid ${direction}: ${detail}`);
    this.name = 'IpcValidationError';
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, channel: string, direction: 'request' | 'response'): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new IpcValidationError(channel, direction, z.prettifyError(result.error));
  return result.data;
}

/** Renderer side: validate the request, call main, validate the response. */
export async function invoke<K extends IpcName>(ipc: IpcInvoker, name: K, ...args: IpcArgs<K>): Promise<IpcResponse[K]> {
  const spec = specs[name];
  const request = parseOrThrow(spec.request, args[0], spec.channel, 'request');
  const raw = request === undefined ? await ipc.invoke(spec.channel) : await ipc.invoke(spec.channel, request);
  return parseOrThrow(spec.response, raw, spec.channel, 'response');
}

export interface HandleOptions<E> {
  /** Refuse calls from frames that are not the console itself (e.g. a navigated-away page). */
  trust?: (event: E) => boolean;
}

/** Main side: register a handler that only ever sees a valid request and only returns a valid response. */
export function handle<K extends IpcName, E>(
  host: IpcHandlerHost<E>,
  name: K,
  handler: (request: IpcRequestOut[K], event: E) => IpcResponse[K] | Promise<IpcResponse[K]>,
  options: HandleOptions<E> = {},
): void {
  const spec = specs[name];
  host.handle(spec.channel, async (event, ...args) => {
    if (options.trust && !options.trust(event)) throw new Error(`IPC ${spec.channel}: refused, untrusted sender`);
    const request = parseOrThrow(spec.request, args[0], spec.channel, 'request');
    const response = await handler(request, event);
    return parseOrThrow(spec.response, response, spec.channel, 'response');
  });
}

/** The preload's whole API: one method per IPC map entry (the mapped type makes a missing one a type error). */
export function createBridge(ipc: IpcInvoker): ClearwayBridge {
  return {
    getConfig: () => invoke(ipc, 'getConfig'),
    outboxLoad: () => invoke(ipc, 'outboxLoad'),
    outboxSave: (entries) => invoke(ipc, 'outboxSave', entries),
  };
}
