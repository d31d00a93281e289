import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DeviceKind, Id, Role } from '@clearway/protocol';
import { Store, StoreError } from '@clearway/store';
import { seedDemo } from './demo.ts';
import { demoManifestCsv } from './demo-manifest.ts';
import { cliActor, registerAuditCommands } from './audit.ts';
import { registerBagCommands } from './bag.ts';
import { registerDicosCommands } from './dicos.ts';
import { registerFlightCommands } from './flights.ts';
import { registerFlightReportCommand } from './flight-report.ts';
import { registerDetectCommand } from './detect.ts';
import { registerModelCommands } from './models.ts';
import { registerConfigCommands } from './config.ts';
import { registerTipCommands } from './tip.ts';
import { registerReplayCommand } from './replay.ts';

/** `pnpm clearway <subcommand>`: administration of a Clearway hub's data folder. */
const program = new Command('clearway')
  .description('Clearway administration: officers, device tokens, demo data')
  .showHelpAfterError()
  .addOption(new Option('--data <dir>', 'hub data folder').default('./data'));

function openStore(): Store {
  return Store.open(resolve(program.opts<{ data: string }>().data));
}

function idArg(value: string): string {
  const r = Id.safeParse(value);
  if (!r.success) throw new InvalidArgumentError(r.error.issues[0]?.message ?? 'invalid id');
  return value;
}

async function run(action: (store: Store) => Promise<void> | void): Promise<void> {
  const store = openStore();
  try {
    await action(store);
  } catch (e) {
    if (e instanceof StoreError) {
      console.error(`clearway: ${e.message}`);
      process.exitCode = 1;
    } else throw e;
  } finally {
    await store.close();
  }
}

const users = program.command('users').description('officer accounts');
users.command('add')
  .description('create an officer account (prints the password when it is generated)')
  .requiredOption('--id <id>', 'officer ID used to sign in', idArg)
  .requiredOption('--name <name>', 'full name shown on consoles')
  .addOption(new Option('--role <role>', 'role').choices(Role.options).makeOptionMandatory())
  .option('--password <password>', 'password (default: CLEARWAY_PASSWORD, else a generated one)')
  .option('--team <team>', 'team (watch) the officer works in, e.g. A or "Blue watch": performance per team')
  .action((o: { id: string; name: string; role: Role; password?: string; team?: string }) => run(async (store) => {
    const generated = !o.password && !process.env['CLEARWAY_PASSWORD'];
    const password = o.password ?? process.env['CLEARWAY_PASSWORD'] ?? randomBytes(9).toString('base64url');
    const officer = await store.identity.createOfficer({ id: o.id, name: o.name, role: o.role, password, team: o.team ?? null }, cliActor());
    console.log(JSON.stringify({ ...officer, team: o.team?.trim() ?? null, ...(generated ? { password } : {}) }));
  }));
users.command('team')
  .description('put an officer in a team (watch), or in none with --none')
  .requiredOption('--id <id>', 'officer ID', idArg)
  .option('--team <team>', 'team name, e.g. A or "Blue watch"')
  .option('--none', 'in no team')
  .action((o: { id: string; team?: string; none?: boolean }) => run((store) => {
    if ((o.team === undefined) === (o.none !== true)) throw new StoreError('invalid', 'give either --team NAME or --none');
    console.log(JSON.stringify(store.identity.setTeam(o.id, o.none ? null : (o.team ?? null), cliActor())));
  }));
users.command('list').description('list officer accounts').action(() => run((store) => {
  for (const o of store.identity.listOfficers()) console.log(JSON.stringify(o));
}));
users.command('passwd')
  .description('set a new password and end the officer\'s sessions')
  .requiredOption('--id <id>', 'officer ID', idArg)
  .option('--password <password>', 'new password (default: CLEARWAY_PASSWORD, else generated)')
  .action((o: { id: string; password?: string }) => run(async (store) => {
    const password = o.password ?? process.env['CLEARWAY_PASSWORD'] ?? randomBytes(9).toString('base64url');
    await store.identity.setPassword(o.id, password, cliActor());
    console.log(JSON.stringify({ id: o.id, ...(o.password || process.env['CLEARWAY_PASSWORD'] ? {} : { password }) }));
  }));

const devices = program.command('devices').description('device tokens for scanners, robot bridges, flight feeds');
devices.command('add')
  .description('register a device and print its token (shown once)')
  .requiredOption('--id <id>', 'device ID', idArg)
  .addOption(new Option('--kind <kind>', 'device kind').choices(DeviceKind.options).makeOptionMandatory())
  .action((o: { id: string; kind: DeviceKind }) => run((store) => {
    console.log(JSON.stringify(store.identity.createDevice(o.id, o.kind, cliActor())));
  }));
devices.command('rotate').description('issue a new token; the old one stops working').requiredOption('--id <id>', 'device ID', idArg)
  .action((o: { id: string }) => run((store) => console.log(JSON.stringify({ id: o.id, token: store.identity.rotateDeviceToken(o.id, cliActor()) }))));
devices.command('revoke').description('refuse the device from now on').requiredOption('--id <id>', 'device ID', idArg)
  .action((o: { id: string }) => run((store) => { store.identity.revokeDevice(o.id, cliActor()); console.log(JSON.stringify({ id: o.id, revoked: true })); }));
devices.command('list').description('list devices').action(() => run((store) => {
  for (const d of store.identity.listDevices()) console.log(JSON.stringify(d));
}));

program.command('decisions')
  .description('print stored decisions, newest first, one JSON object per line')
  .option('--limit <n>', 'how many', (v) => { const n = Number(v); if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer'); return n; }, 20)
  .action((o: { limit: number }) => run((store) => {
    for (const d of store.screening.recentDecisions(o.limit)) {
      const bag = store.screening.bag(d.bagId);
      // The robot sent for the bag, if any, and how its mission ended (or where it is).
      const m = store.missions.forBag(d.bagId)[0];
      const mission = m ? { mission: { missionId: m.missionId, robotId: m.robotId, state: m.state, reason: m.reason, endedAt: m.endedAt } } : {};
      console.log(JSON.stringify({ ...d, bagTag: bag?.bagTag, flight: bag?.flight, lane: bag?.lane, ...mission }));
    }
  }));

const demo = program.command('demo').description('demo data');
demo.command('seed')
  .description('create demo officers and a simulator device token (random passwords, kept in DATA/demo-accounts.json)')
  .action(() => run(async (store) => {
    console.log(JSON.stringify(await seedDemo(store, resolve(program.opts<{ data: string }>().data))));
  }));
demo.command('manifest')
  .description('print a passenger manifest (CSV) listing the checked bags the scanner simulator will scan for a flight, for `flight-feed manifest`')
  .requiredOption('--date <YYYY-MM-DD>', 'the flight\'s service date')
  .option('--flight <flight>', 'the simulator\'s flight (scanner-sim --flight)', 'CA981')
  .option('--seed <n>', 'the simulator run\'s seed (scanner-sim --seed)', (v) => Number.parseInt(v, 10), 1)
  .option('--bags <n>', 'checked bags listed (the run\'s first N)', (v) => Number.parseInt(v, 10), 150)
  .option('--origin <IATA>', 'where the flight comes from', 'JFK')
  .action((o: { date: string; flight: string; seed: number; bags: number; origin: string }) => {
    process.stdout.write(demoManifestCsv(o));
  });

registerBagCommands(program, registerDicosCommands(program), run);
registerAuditCommands(program, run);
registerFlightCommands(program, run);
registerFlightReportCommand(program, run);
registerModelCommands(program, run);
registerConfigCommands(program, run);
registerTipCommands(program, run);
registerDetectCommand(program);
registerReplayCommand(program);

await program.parseAsync(process.argv);
