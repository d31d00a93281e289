import { describe, expect, it } from 'vitest';
import { type SearchBag, SearchOutcomeSubmit } from '@clearway/protocol';
import {
  applyPush, chooseClass, chooseOutcome, emptyDraft, emptyLine, markRecorded, missing, moveSelection, outcomePayload, outcomeText, selectedBag, stationBoxes, withNote,
} from './search-line.ts';

let n = 0;
function flagged(flaggedAt: string): SearchBag {
  n++;
  const hex = n.toString(16).padStart(12, '0');
  return {
    bag: { bagId: `2a1b3c4d-5e6f-4a7b-8c9d-${hex}`, bagTag: `09990000${String(n).padStart(2, '0')}`, lane: 'lane-1', flight: 'CA981', scannedAt: flaggedAt },
    decisionId: `9e8d7c6b-5a49-4382-9716-${hex}`, flaggedAt, screener: { id: 'li.wei', name: 'Li Wei' }, marks: [],
    views: [{ view: 'top', width: 32, height: 32 }], consoleResults: [],
  };
}
const ids = (bags: readonly SearchBag[]) => bags.map((b) => b.bag.bagTag);
const KEY = '7d7c1f5e-8a59-4a39-9a51-0c6f0f0b2a11';

describe('search line', () => {
  it('keeps the bags in order of arrival at the station, whatever order the pushes come in', () => {
    const [a, b, c] = [flagged('2030-01-01T10:00:00Z'), flagged('2030-01-01T10:01:00Z'), flagged('2030-01-01T10:02:00Z')];
    let line = applyPush(emptyLine, { kind: 'snapshot', bags: [b, a] });
    expect(line.received).toBe(true);
    line = applyPush(line, { kind: 'added', bag: c });
    line = applyPush(line, { kind: 'added', bag: a }); // a repeat changes nothing
    expect(ids(line.bags)).toEqual(ids([a, b, c]));
    line = applyPush(line, { kind: 'removed', bagId: b.bag.bagId });
    expect(ids(line.bags)).toEqual(ids([a, c]));
  });

  it('never shows again a bag whose outcome was recorded here, even from a late snapshot', () => {
    const [a, b] = [flagged('2030-01-01T10:00:00Z'), flagged('2030-01-01T10:01:00Z')];
    let line = applyPush(emptyLine, { kind: 'snapshot', bags: [a, b] });
    line = markRecorded(line, a.bag.bagId);
    expect(ids(line.bags)).toEqual(ids([b]));
    line = applyPush(line, { kind: 'snapshot', bags: [a, b] });
    line = applyPush(line, { kind: 'added', bag: a });
    expect(ids(line.bags)).toEqual(ids([b]));
  });

  it('moves the selection with the arrows and stops at the ends; a bag that left gives way to the oldest', () => {
    const bags = [flagged('2030-01-01T10:00:00Z'), flagged('2030-01-01T10:01:00Z'), flagged('2030-01-01T10:02:00Z')];
    const line = applyPush(emptyLine, { kind: 'snapshot', bags });
    const [a, b, c] = bags.map((x) => x.bag.bagId);
    expect(moveSelection(line, null, 1)).toBe(b);
    expect(moveSelection(line, c ?? null, 1)).toBe(c);
    expect(moveSelection(line, a ?? null, -1)).toBe(a);
    expect(selectedBag(line, 'gone')?.bag.bagId).toBe(a);
    expect(moveSelection(emptyLine, null, 1)).toBeNull();
  });
});

describe('outcome draft', () => {
  it('asks for the outcome, then for what was found, before it can be confirmed', () => {
    expect(missing(emptyDraft)).toMatch(/Choose the outcome/);
    const threat = chooseOutcome(emptyDraft, 'threat-found');
    expect(missing(threat)).toBe('Choose what was found');
    expect(outcomePayload(threat, 'b', KEY, 0)).toBeNull();
    const knife = chooseClass(threat, 'knife');
    expect(missing(knife)).toBeNull();
    expect(outcomeText('threat-found', 'knife')).toBe('threat found: knife');
  });

  it('builds a payload the protocol accepts, dropping a class that no longer applies and a blank note', () => {
    const bagId = '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    const knife = withNote(chooseClass(emptyDraft, 'knife'), '  in the side pocket ');
    const p1 = outcomePayload(knife, bagId, KEY, Date.parse('2030-01-01T10:05:00Z'));
    expect(p1).toEqual({ idempotencyKey: KEY, bagId, outcome: 'threat-found', threatClass: 'knife', note: 'in the side pocket', recordedAt: '2030-01-01T10:05:00.000Z' });
    const nothing = withNote(chooseOutcome(knife, 'nothing-found'), '   ');
    const p2 = outcomePayload(nothing, bagId, KEY, 0);
    expect(p2).toEqual({ idempotencyKey: KEY, bagId, outcome: 'nothing-found', recordedAt: '1970-01-01T00:00:00.000Z' });
    expect(SearchOutcomeSubmit.safeParse(p1).success).toBe(true);
    expect(SearchOutcomeSubmit.safeParse(p2).success).toBe(true);
  });
});

describe('boxes at the station', () => {
  it('draws the scanner\'s boxes and each console model\'s, saying what the screener made of them', () => {
    const box = { view: 'top' as const, x: 1, y: 2, width: 3, height: 4 };
    const bag: SearchBag = {
      ...flagged('2030-01-01T10:00:00Z'),
      machineResult: { algorithm: 'Sim ATR', alarm: true, detections: [{ id: '1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.8, box }] },
      consoleResults: [{ model: { sha256: 'a'.repeat(64), name: 'ref' }, alarm: true, detections: [
        { id: 'ai-top-1', label: 'gun', category: 'PROHIBITED_ITEM', score: 0.9, box },
        { id: 'ai-top-2', label: 'battery', category: 'PROHIBITED_ITEM', score: 0.6, box },
        { id: '1', label: 'pliers', category: 'PROHIBITED_ITEM', score: 0.5, box },
      ] }],
      detectionVerdicts: [{ detectionId: 'ai-top-1', verdict: 'confirmed' }, { detectionId: 'ai-top-2', verdict: 'dismissed' }],
    };
    const boxes = stationBoxes(bag);
    expect(boxes.map((b) => b.label)).toEqual(['knife', 'AI gun · screener: threat', 'AI battery · screener: not a threat', 'AI pliers']);
    // IDs stay unique even when the scanner and a model use the same PTO ID.
    expect(new Set(boxes.map((b) => b.id)).size).toBe(4);
  });
});
