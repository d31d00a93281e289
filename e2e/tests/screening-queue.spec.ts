import { OFFICER, expect, test } from '../fixtures.ts';

test.describe('the screening line on the console', () => {
  test('reports the first paint, keeps it with the decision, and a break keeps a bag already shown', async ({ hub, scanner, officerConsole }) => {
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    await expect(officerConsole.linkState()).toHaveText('Connected');
    const first = await scanner.send({ lane: 'lane-2' });
    await expect(officerConsole.bagTag()).toHaveText(first.bagTag);
    // Two more wait behind it, one raised by its risk: the header shows the line by lane and priority.
    await scanner.send({ lane: 'lane-7' });
    await scanner.send({ lane: 'lane-7', risk: { score: 80, reasons: ['watch-list hit: +60'] } });
    await expect(officerConsole.page.getByTestId('queue-lanes')).toHaveText('lane-7 2');
    await expect(officerConsole.page.getByTestId('queue-raised')).toContainText(/^1 \(oldest/);

    // On break with the bag on screen: it stays (the hub heard bag:shown), and is decided.
    await officerConsole.page.getByTestId('availability').click();
    await expect(officerConsole.page.getByTestId('availability')).toHaveText('On break');
    await expect(officerConsole.bagTag()).toHaveText(first.bagTag);
    await officerConsole.press('c');
    await expect(officerConsole.lastDecision()).toContainText('stored');
    await expect(officerConsole.page.getByTestId('no-bag')).toBeVisible();

    const [d] = hub.decisions();
    expect(d).toMatchObject({ verdict: 'clear', madeBy: 'officer' });
    expect(d?.paintMs).toBeGreaterThanOrEqual(0);
    expect(d?.assignedAt).toEqual(expect.any(String));
    expect(officerConsole.errors).toEqual([]);
  });
});
