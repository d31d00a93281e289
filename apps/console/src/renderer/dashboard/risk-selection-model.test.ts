import { describe, expect, it } from 'vitest';
import type { RiskSelectionReport } from '@clearway/protocol';
import { percent, selectionPanel } from './risk-selection-model.ts';

const report = (over: Partial<RiskSelectionReport> = {}): RiskSelectionReport => ({
  from: '2025-05-02T00:00:00.000Z', to: '2025-06-01T00:00:00.000Z', generatedAt: '2025-06-01T00:00:00.000Z',
  risk: { searches: 40, finds: 10, rate: 0.25, low: 0.142, high: 0.4 },
  random: { searches: 200, finds: 4, rate: 0.02, low: 0.0078, high: 0.0503 },
  both: 1, open: 3, difference: { value: 0.23, low: 0.11, high: 0.38 }, confidence: 0.95, randomSelectionRate: 0.02,
  ...over,
});

describe('selectionPanel', () => {
  it('puts both groups on one scale with their rates and intervals, and says the rules find more', () => {
    const m = selectionPanel(report());
    expect(m.scaleEnd).toBe('40 %');
    expect(m.rows[0]).toEqual({ group: 'risk', searches: 40, finds: 10, rate: '25 %', low: '14 %', high: '40 %', bar: { left: 35.5, width: 64.5, mark: 62.5 } });
    expect(m.rows[1]).toMatchObject({ group: 'random', rate: '2.0 %', low: '0.8 %', high: '5.0 %', bar: { left: 1.9, mark: 5 } });
    expect(m.difference).toEqual({ verdict: 'higher', diff: '+23.0', low: '+11.0', high: '+38.0' });
    expect(m).toMatchObject({ open: 3, confidence: '95 %', randomSelectionRate: '2.0 %', periodDays: 30 });
  });

  it('calls an interval across zero unclear and one below zero lower', () => {
    expect(selectionPanel(report({ difference: { value: 0.02, low: -0.05, high: 0.1 } })).difference?.verdict).toBe('unclear');
    expect(selectionPanel(report({ difference: { value: -0.1, low: -0.2, high: -0.01 } })).difference).toMatchObject({ verdict: 'lower', diff: '−10.0' });
  });

  it('draws no bar for a group without searches and makes no comparison', () => {
    const m = selectionPanel(report({ random: { searches: 0, finds: 0, rate: null, low: 0, high: 1 }, difference: null }));
    expect(m.rows[1]).toMatchObject({ rate: null, bar: { left: 0, width: 0, mark: null } });
    expect(m.scaleEnd).toBe('40 %');
    expect(m.difference).toBeNull();
    expect(selectionPanel(report({ risk: { searches: 0, finds: 0, rate: null, low: 0, high: 1 }, random: { searches: 0, finds: 0, rate: null, low: 0, high: 1 }, difference: null })).scaleEnd).toBe('10 %');
  });

  it('writes rates with one decimal below 10 %', () => {
    expect([percent(0), percent(0.0049), percent(0.123), percent(1)]).toEqual(['0 %', '0.5 %', '12 %', '100 %']);
  });
});
