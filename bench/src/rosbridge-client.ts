/**
 * The baseline for robot telemetry: a plain `ws` rosbridge client, in its own process like the
 * ros2 adapter, subscribed to every robot's odometry on the same bridge. It records receipt
 * minus header stamp for each message between the parent's 'start' and 'stop' (IPC), then sends
 * back the samples and exits.
 *   node --import tsx bench/src/rosbridge-client.ts ws://127.0.0.1:PORT robot_1,robot_2,…
 */
import { WebSocket } from 'ws';

const [url, robots] = process.argv.slice(2);
if (!url || !robots || !process.send) throw new Error('usage (from a parent with IPC): rosbridge-client.ts URL robot_1,robot_2,…');
const send = process.send.bind(process);
const samples: number[] = [];
let measuring = false;
let startedAt = 0;
const ws = new WebSocket(url);
ws.on('open', () => {
  for (const id of robots.split(',')) ws.send(JSON.stringify({ op: 'subscribe', id: `sub-${id}`, topic: `/${id}/odom`, type: 'nav_msgs/msg/Odometry' }));
  send({ type: 'ready' });
});
ws.on('message', (data) => {
  const now = Date.now();
  if (!measuring) return;
  const frame = JSON.parse(data.toString()) as { op?: string; msg?: { header?: { stamp?: { sec: number; nanosec: number } } } };
  const stamp = frame.msg?.header?.stamp;
  if (frame.op === 'publish' && stamp) samples.push(now - (stamp.sec * 1000 + stamp.nanosec / 1e6));
});
ws.on('error', (err) => { console.error(`rosbridge client: ${err.message}`); process.exit(1); });
process.on('message', (m: { type: string }) => {
  if (m.type === 'start') { measuring = true; startedAt = performance.now(); }
  if (m.type === 'stop') {
    measuring = false;
    send({ type: 'samples', samples, seconds: (performance.now() - startedAt) / 1000 }, () => { ws.close(); process.exit(0); });
  }
});
