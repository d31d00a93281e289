import { describe, expect, it } from 'vitest';
import { selectionText } from './selection-text.ts';

describe('selectionText', () => {
  it('names the rules\' reasons, a random pick, or both', () => {
    expect(selectionText({ riskSelected: true, randomSelected: false, score: 70, reasons: ['watch-list hit: +60', 'late check-in: +10'] }))
      .toBe('risk-selected (score 70): watch-list hit: +60; late check-in: +10');
    expect(selectionText({ riskSelected: false, randomSelected: true, score: 10, reasons: ['late check-in: +10'] })).toBe('random selection');
    expect(selectionText({ riskSelected: true, randomSelected: true, score: 60, reasons: ['watch-list hit: +60'] }))
      .toBe('risk-selected (score 60): watch-list hit: +60; also random selection');
  });
});
