import type { z } from 'zod';
import { DecisionTimeLimits, OfficerWorkload, QueuePriority, RiskRules } from './screening-rules.ts';
import { TipSettings } from './tip.ts';

/**
 * Settings an administrator changes at run time (`pnpm clearway config set KEY JSON`), stored in
 * the hub's SQLite `settings` table with a `config.changed` audit row. One table of keys, each
 * with the schema its value must pass; a key that is not set takes the schema's defaults.
 * Add a key here, not a table of one's own.
 */
export const SETTINGS = {
  /** Decision time window and what an expired one does (time-limits.ts in @clearway/domain). */
  'screening.timeLimits': DecisionTimeLimits,
  /** How a flight's deadline raises its bags in the screening line (priority.ts). */
  'screening.queuePriority': QueuePriority,
  /** Threat Image Projection: share of bags, items switched on or off (tip.ts). */
  'tip.projection': TipSettings,
  /**
   * Risk-based selection from flight manifests (risk.ts). Without `randomSeed` the hub draws one
   * per start and keeps it in memory: nobody can predict the random picks, and each pick is
   * stored with its bag, so an audit does not need the seed.
   */
  'screening.risk': RiskRules.extend({ randomSeed: RiskRules.shape.randomSeed.optional() }),
  /** Break rule: longest continuous time at the screen, and the break that resets it (officer-performance.ts). */
  'screening.officerWorkload': OfficerWorkload,
} as const satisfies Record<string, z.ZodType>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]>;

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/** Checks a value for a key: the parsed value (defaults filled in), or why it was refused. */
export function parseSetting(key: string, value: unknown): { ok: true; key: SettingKey; value: unknown } | { ok: false; message: string } {
  if (!isSettingKey(key)) return { ok: false, message: `unknown setting ${key}; known: ${Object.keys(SETTINGS).join(', ')}` };
  const parsed = SETTINGS[key].safeParse(value);
  if (parsed.success) return { ok: true, key, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${key}${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}` };
}
