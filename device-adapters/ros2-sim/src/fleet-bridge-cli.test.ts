import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { bridgeWebSocket } from './test-support.ts';

const CLI = fileURLToPath(new URL('../bin/fleet-bridge.cjs', import.meta.url));
let child: ChildProcess | null = null;

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('runs the real bridge through its createServer() with the fleet behind it: a raw ws client gets /robot_1/odom', async () => {
  const port = await freePort();
  const proc = spawn(process.execPath, [CLI, '--port', String(port), '--robots', '2', '--clock-factor', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let out = '';
  proc.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await expect.poll(() => out, { timeout: 10_000 }).toMatch(/^ready ws:\/\/localhost:\d+ robot_1 robot_2$/m);
  // The bridge's own start-up line, printed by its index.js.
  expect(out).toContain(`Websocket started on ws://localhost:${port}`);

  const WebSocket = bridgeWebSocket();
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    ws.on('open', resolve);
    ws.on('error', reject);
  });
  ws.send(JSON.stringify({ op: 'subscribe', id: 'odom', topic: '/robot_1/odom', type: 'nav_msgs/msg/Odometry' }));
  await expect.poll(() => frames.filter((f) => f['op'] === 'publish').length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
  const odom = frames.find((f) => f['op'] === 'publish') as { topic: string; msg: { child_frame_id: string; pose: { covariance: number[] } } };
  expect(odom.topic).toBe('/robot_1/odom');
  expect(odom.msg.child_frame_id).toBe('base_link');
  expect(odom.msg.pose.covariance).toHaveLength(36);
  ws.close();

  proc.kill('SIGTERM');
  const [code] = (await once(proc, 'exit')) as [number | null];
  expect(code).toBe(0);
}, 20_000);

it('refuses a bad command line with exit code 2', async () => {
  const proc = spawn(process.execPath, [CLI, '--robots', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(proc, 'exit')) as [number | null];
  expect(code).toBe(2);
  expect(err).toMatch(/--robots must be a whole number/);
});
