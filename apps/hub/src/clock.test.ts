import { describe, expect, it } from 'vitest';
import { connectDevice, connectOfficer, testScan } from './testing.ts';
import { ScenarioClock } from './clock.ts';
import { startHub } from './hub.ts';
import { hashPassword } from '@clearway/store';
import { pino } from 'pino';

const T0 = Date.parse('2025-06-01T10:00:00Z');

describe('ScenarioClock', () => {
  it('stands still until advanced, then fires timers in order, each at its own time', () => {
    const clock = new ScenarioClock(T0);
    const fired: string[] = [];
    clock.after(3000, () => fired.push(`b@${clock.now() - T0}`));
    clock.after(1000, () => {
      fired.push(`a@${clock.now() - T0}`);
      clock.after(0, () => fired.push(`a2@${clock.now() - T0}`)); // set while firing, due at once
    });
    const gone = clock.after(2000, () => fired.push('cancelled'));
    clock.every(1500, () => fired.push(`tick@${clock.now() - T0}`));
    gone.cancel();
    expect(clock.now()).toBe(T0);
    expect(clock.nextAt()).toBe(T0 + 1000);
    expect(clock.advanceTo(T0 + 3000)).toEqual({ oneShot: 3, ticks: 2 });
    expect(fired).toEqual(['a@1000', 'a2@1000', 'tick@1500', 'b@3000', 'tick@3000']);
    expect(clock.now()).toBe(T0 + 3000);
    expect(clock.hasOneShot()).toBe(false);
    expect(() => clock.advanceTo(T0)).toThrow(/cannot go back/);
  });

  it('runs timers due at the same time in the order they were set', () => {
    const clock = new ScenarioClock(T0);
    const fired: number[] = [];
    for (let i = 0; i < 5; i++) clock.after(100, () => fired.push(i));
    clock.advanceTo(T0 + 100);
    expect(fired).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('the hub on a scenario clock', () => {
  it('stamps arrival, assignment and the time limit\'s search on the scenario\'s time', async () => {
    const clock = new ScenarioClock(T0);
    const hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }), clock, referenceModel: null });
    try {
      hub.store.identity.importOfficer({ id: 'o1', name: 'Officer', role: 'screening-officer', passwordHash: await hashPassword('pw') });
      const { token } = hub.store.identity.createDevice('scanner-1', 'scanner');
      const officer = await connectOfficer(hub.url, { officerId: 'o1', password: 'pw' });
      const device = await connectDevice(hub.url, 'scanner-1', token);
      clock.advanceTo(T0 + 5000);
      const ack = await device.emitWithAck('scan:submit', testScan());
      expect(ack.ok).toBe(true);
      const bag = await officer.nextBag();
      expect(bag.assignedAt).toBe(new Date(T0 + 5000).toISOString());
      // Default limits: 10 s with the belt moving, 20 s stopped. Nothing happens on the wall clock…
      const withdrawn = new Promise<{ reason: string }>((resolve) => officer.socket.once('bag:withdrawn', resolve));
      clock.advanceTo(T0 + 34_999);
      expect(hub.store.screening.decisionsForBag(bag.bag.bagId)).toEqual([]);
      // …and the window closes at its scenario time.
      expect(clock.advanceTo(T0 + 36_000).oneShot).toBe(1);
      expect((await withdrawn).reason).toMatch(/sent to search/);
      const [decision] = hub.store.screening.decisionsForBag(bag.bag.bagId);
      expect(decision?.storedAt).toBe(new Date(T0 + 35_000).toISOString());
      expect(decision?.verdict).toBe('search');
      officer.socket.close();
      device.close();
    } finally {
      await hub.close();
    }
  });
});
