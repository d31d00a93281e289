// `pnpm clearway config …`: run-time settings in the data folder (keys and schemas: SETTINGS in
// @clearway/protocol). Every change is audited (config.changed); a running hub picks it up within
// a second. Example:
//   pnpm clearway config set screening.timeLimits '{"beltMovingS":8,"beltStoppedS":20,"onExpiry":"reassign","maxReassignments":1}'
import { InvalidArgumentError, type Command } from 'commander';
import { SETTINGS, isSettingKey, type SettingKey } from '@clearway/protocol';
import type { Store } from '@clearway/store';
import { cliActor } from './audit.ts';

type Run = (action: (store: Store) => Promise<void> | void) => Promise<void>;

function keyArg(value: string): SettingKey {
  if (!isSettingKey(value)) throw new InvalidArgumentError(`one of ${Object.keys(SETTINGS).join(', ')}`);
  return value;
}

function jsonArg(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new InvalidArgumentError('a JSON value, e.g. \'{"beltMovingS":8}\' (quote it for the shell)');
  }
}

/** One line per key: its effective value and whether it is set or the default. */
export function settingLines(store: Store, only?: SettingKey): { key: SettingKey; value: unknown; set: boolean; updatedAt?: string; updatedBy?: string }[] {
  const stored = new Map(store.settings.list().map((s) => [s.key, s]));
  return (Object.keys(SETTINGS) as SettingKey[]).filter((k) => only === undefined || k === only).map((key) => {
    const s = stored.get(key);
    return s ? { key, value: store.settings.effective(key), set: true, updatedAt: s.updatedAt, updatedBy: s.updatedBy } : { key, value: store.settings.defaults(key), set: false };
  });
}

export function registerConfigCommands(program: Command, run: Run): void {
  const config = program.command('config').description('run-time settings (screening time limits, queue priority); changes are audited');
  config.command('get')
    .description('print settings with their effective values, one JSON object per line')
    .argument('[key]', 'one setting', keyArg)
    .action((key: SettingKey | undefined) => run((store) => {
      for (const line of settingLines(store, key)) console.log(JSON.stringify(line));
    }));
  config.command('set')
    .description('check a value against its schema and store it (fields left out take their defaults)')
    .argument('<key>', 'setting', keyArg)
    .argument('<json>', 'the value as JSON', jsonArg)
    .action((key: SettingKey, value: unknown) => run((store) => {
      const stored = store.settings.set(key, value, cliActor());
      console.log(JSON.stringify(stored));
    }));
  config.command('unset')
    .description('back to the defaults')
    .argument('<key>', 'setting', keyArg)
    .action((key: SettingKey) => run((store) => {
      console.log(JSON.stringify({ key, unset: store.settings.unset(key, cliActor()) }));
    }));
}
