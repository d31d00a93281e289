import { describe, expect, it } from 'vitest';
import { exitCheckList, flagReasons, type FlaggedCheckedBag } from './exit-check.ts';

const bag = (over: Partial<FlaggedCheckedBag> & Pick<FlaggedCheckedBag, 'bagId' | 'bagTag'>): FlaggedCheckedBag => ({
  flight: 'CA932', flaggedAt: 1_000, sources: ['screener'], screenerNote: null, marks: 0, riskReasons: [],
  passenger: null, directedAt: null, outcome: null, outcomeAt: null, ...over,
});
const alice = { ref: 'ZX4K2P-1', name: 'LI/ALICE' };
const bob = { ref: 'QW7T9R-1', name: null };

describe('flagReasons', () => {
  it('says who flagged the bag and why, with the screener\'s note and marks', () => {
    expect(flagReasons({ sources: ['screener'], screenerNote: 'dense block, left pocket', marks: 2, riskReasons: [] }))
      .toEqual(['screener: dense block, left pocket (2 regions marked)']);
    expect(flagReasons({ sources: ['screener'], screenerNote: null, marks: 1, riskReasons: [] })).toEqual(['flagged by the screener (1 region marked)']);
    expect(flagReasons({ sources: ['time-limit', 'risk-rules', 'random'], screenerNote: null, marks: 0, riskReasons: ['watch-list hit: +60'] }))
      .toEqual(['not decided within the time limit', 'risk rules: watch-list hit: +60', 'random selection']);
    expect(flagReasons({ sources: ['risk-rules'], screenerNote: null, marks: 0, riskReasons: [] })).toEqual(['selected by the risk rules']);
  });
});

describe('exitCheckList', () => {
  it('puts one passenger\'s flagged bags together and lists whom to look out for first, longest flagged first', () => {
    const list = exitCheckList([
      bag({ bagId: 'b1', bagTag: '0999000001', passenger: alice, flaggedAt: 5_000 }),
      bag({ bagId: 'b2', bagTag: '0999000002', passenger: bob, flaggedAt: 3_000, directedAt: 4_000 }),
      bag({ bagId: 'b3', bagTag: '0999000003', passenger: alice, flaggedAt: 2_000, sources: ['random'] }),
      bag({ bagId: 'b4', bagTag: '0999000004', flaggedAt: 4_000 }),
    ]);
    expect(list.map((e) => [e.key, e.state])).toEqual([['ZX4K2P-1', 'look-out'], ['bag:0999000004', 'look-out'], ['QW7T9R-1', 'directed']]);
    const [first] = list;
    expect(first?.flaggedAt).toBe(2_000);
    expect(first?.bags.map((b) => [b.bagTag, b.reasons])).toEqual([['0999000003', ['random selection']], ['0999000001', ['flagged by the screener']]]);
    expect(list[1]?.passenger).toBeNull();
  });

  it('keeps a passenger on the look-out while any bag of theirs is not yet directed, and searched only when every bag has its outcome', () => {
    const one = exitCheckList([
      bag({ bagId: 'b1', bagTag: '0999000001', passenger: alice, directedAt: 2_000, outcome: 'nothing-found', outcomeAt: 9_000 }),
      bag({ bagId: 'b2', bagTag: '0999000002', passenger: alice, flaggedAt: 1_500 }),
    ]);
    expect(one[0]?.state).toBe('look-out');
    expect(one[0]?.bags.map((b) => b.state)).toEqual(['searched', 'look-out']);
    expect(one[0]?.searchedAt).toBeNull();
    const done = exitCheckList([
      bag({ bagId: 'b1', bagTag: '0999000001', passenger: alice, directedAt: 2_000, outcome: 'nothing-found', outcomeAt: 9_000 }),
      bag({ bagId: 'b2', bagTag: '0999000002', passenger: alice, directedAt: 2_000, outcome: 'threat-found', outcomeAt: 12_000 }),
    ]);
    expect(done[0]).toMatchObject({ state: 'searched', searchedAt: 12_000 });
  });

  it('shows the latest searched passengers first, after everyone still open', () => {
    const list = exitCheckList([
      bag({ bagId: 'b1', bagTag: '0999000001', passenger: alice, outcome: 'nothing-found', outcomeAt: 5_000, directedAt: 1 }),
      bag({ bagId: 'b2', bagTag: '0999000002', passenger: bob, outcome: 'nothing-found', outcomeAt: 8_000, directedAt: 1 }),
      bag({ bagId: 'b3', bagTag: '0999000003', flaggedAt: 50_000 }),
    ]);
    expect(list.map((e) => e.key)).toEqual(['bag:0999000003', 'QW7T9R-1', 'ZX4K2P-1']);
    expect(exitCheckList([])).toEqual([]);
  });
});
