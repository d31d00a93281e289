import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceKind, Role } from '@clearway/protocol';
import type { Store } from '@clearway/store';

export interface DemoAccounts {
  officers: { id: string; name: string; role: Role; password: string; team?: string }[];
  devices: { id: string; kind: DeviceKind; token: string }[];
}

// The two screeners work in different teams (watches), so the shift lead's performance view
// shows a row per team as well as per officer.
const DEMO_OFFICERS: { id: string; name: string; role: Role; team?: string }[] = [
  { id: 'screener1', name: 'Li Wei', role: 'screening-officer', team: 'A' },
  { id: 'screener2', name: 'Anna Kowalski', role: 'screening-officer', team: 'B' },
  { id: 'search1', name: 'Zhang Min', role: 'search-officer' },
  { id: 'lead1', name: 'Maria Santos', role: 'shift-lead' },
  { id: 'robot1', name: 'Omar Haddad', role: 'robot-operator' },
  { id: 'admin', name: 'Site Administrator', role: 'admin' },
];
const DEMO_DEVICES: { id: string; kind: DeviceKind }[] = [
  { id: 'scanner-sim-1', kind: 'scanner' }, { id: 'robot-bridge-1', kind: 'robot-bridge' }, { id: 'flight-feed-1', kind: 'flight-feed' },
];

export const DEMO_FILE = 'demo-accounts.json';

/**
 * Demo accounts for a first run. Passwords are random per data folder (never a shared
 * default) and kept, readable only by the owner, in DATA/demo-accounts.json so that each start
 * can print them again.
 */
export async function seedDemo(store: Store, dataDir: string): Promise<DemoAccounts> {
  const file = join(dataDir, DEMO_FILE);
  const known: DemoAccounts = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoAccounts) : { officers: [], devices: [] };
  const out: DemoAccounts = { officers: [], devices: [] };
  const teams = store.identity.teams();
  for (const o of DEMO_OFFICERS) {
    const prior = known.officers.find((k) => k.id === o.id);
    // A data folder from before teams: the demo screeners join theirs (another team set since is kept; none is not).
    if (o.team && store.identity.getOfficer(o.id) && teams[o.id] === undefined) store.identity.setTeam(o.id, o.team);
    if (store.identity.getOfficer(o.id) && prior) {
      out.officers.push(prior);
      continue;
    }
    const password = randomBytes(9).toString('base64url');
    if (store.identity.getOfficer(o.id)) await store.identity.setPassword(o.id, password);
    else await store.identity.createOfficer({ ...o, password });
    out.officers.push({ ...o, password });
  }
  const registered = new Set(store.identity.listDevices().map((d) => d.id));
  for (const d of DEMO_DEVICES) {
    const prior = known.devices.find((k) => k.id === d.id);
    if (registered.has(d.id) && prior && store.identity.checkDeviceToken(d.id, prior.token)) {
      out.devices.push(prior);
      continue;
    }
    const token = registered.has(d.id) ? store.identity.rotateDeviceToken(d.id) : store.identity.createDevice(d.id, d.kind).token;
    out.devices.push({ ...d, token });
  }
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return out;
}
