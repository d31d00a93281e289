import { OFFICER, expect, test } from '../fixtures.ts';

test.describe('screening officer in browser mode', () => {
  test('signs in, receives a bag, clears it, and the decision is stored', async ({ hub, scanner, officerConsole }) => {
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    await expect(officerConsole.linkState()).toHaveText('Connected');
    await expect(officerConsole.page.getByTestId('no-bag')).toBeVisible();

    const scan = await scanner.send({ flight: 'CA981', lane: 'lane-3' });
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    await expect(officerConsole.page.getByTestId('view-top')).toBeVisible();

    await officerConsole.press('c');
    await expect(officerConsole.lastDecision()).toContainText(`${scan.bagTag}`);
    await expect(officerConsole.lastDecision()).toContainText('stored');

    const decisions = hub.decisions();
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ officerId: OFFICER.id, verdict: 'clear' });
    const d = decisions[0];
    if (!d) throw new Error('no decision');
    expect(Date.parse(d.decidedAt)).toBeGreaterThanOrEqual(Date.parse(d.shownAt));
    expect(officerConsole.errors).toEqual([]);
  });

  test('gets the next bag after deciding, and sends one to search', async ({ hub, scanner, officerConsole }) => {
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    const first = await scanner.send();
    const second = await scanner.send();
    await expect(officerConsole.bagTag()).toHaveText(first.bagTag);
    await officerConsole.page.getByTestId('decide-search').click();
    await officerConsole.page.getByTestId('search-send').click(); // the search form: no marks, no note
    await expect(officerConsole.bagTag()).toHaveText(second.bagTag);
    await officerConsole.press('s');
    await officerConsole.press('Enter');
    await expect(officerConsole.page.getByTestId('no-bag')).toBeVisible();
    await expect.poll(() => hub.decisions().map((d) => d.verdict)).toEqual(['search', 'search']);
  });

  test('tells the officer when the ID or password is wrong', async ({ hub, officerConsole }) => {
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, 'not the password');
    await expect(officerConsole.page.getByTestId('sign-in-error')).toContainText(/wrong officer id or password/i);
  });
});
