import { OFFICER, expect, test } from '../fixtures.ts';

// The console's promise: a decision pressed is never lost and never stored twice.
test.describe('no decision lost, none doubled', () => {
  test('hub killed with SIGKILL between decision and ack: after restart exactly one decision', async ({ hub, scanner, officerConsole }) => {
    // First life of the hub holds each ack 4 s after its commit, so the kill lands in between.
    await hub.kill();
    await hub.start({ CLEARWAY_FAULT_DECISION_ACK_DELAY_MS: '4000' });
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    const scan = await scanner.send();
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);

    await officerConsole.press('s');
    await officerConsole.press('Enter'); // S opens the search form, Enter sends it
    await expect.poll(() => hub.decisions().length).toBe(1); // committed, ack still held
    await hub.kill();
    await expect(officerConsole.linkState()).toContainText(/Reconnecting|Offline/);
    await expect(officerConsole.page.getByTestId('outbox-count')).toHaveText('1');
    await expect(officerConsole.linkState()).toContainText('1 decision waiting');

    await hub.start(); // same port, same data folder, no fault this time
    await expect(officerConsole.linkState()).toHaveText('Connected', { timeout: 20_000 });
    await expect(officerConsole.lastDecision()).toContainText('stored');
    await expect(officerConsole.page.getByTestId('outbox-count')).toHaveCount(0);
    expect(hub.decisions()).toHaveLength(1);
    expect(hub.decisions()[0]).toMatchObject({ verdict: 'search', officerId: OFFICER.id });
  });

  test('a decision waiting for its ack survives a console reload and is stored once', async ({ hub, scanner, officerConsole }) => {
    await hub.kill();
    await hub.start({ CLEARWAY_FAULT_DECISION_ACK_DELAY_MS: '3000' });
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    const scan = await scanner.send();
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    await officerConsole.press('c');
    await expect.poll(() => hub.decisions().length).toBe(1);

    await officerConsole.page.reload(); // the ack is still held by the hub: the reload loses it
    await expect(officerConsole.linkState()).toHaveText('Connected', { timeout: 20_000 });
    // The reloaded console resent the same idempotency key; the hub answered "already stored".
    await expect(officerConsole.page.getByTestId('outbox-count')).toHaveCount(0, { timeout: 15_000 });
    expect(hub.decisions()).toHaveLength(1);
  });
});
