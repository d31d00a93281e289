import { describe, expect, it } from 'vitest';
import { DecisionSubmit, MARKS_MAX, NOTE_MAX_CHARS, type ViewBox } from '@clearway/protocol';
import { addMark, decisionExtras, marksText, openForm, removeMark, setNote } from './search-form.ts';

const mark = (x: number): ViewBox => ({ view: 'top', x, y: 4, width: 10, height: 8 });

describe('search form', () => {
  it('sends neither marks nor a note when the officer gave none (blank notes count as none)', () => {
    const form = setNote(openForm('a-1', 1000), '   ');
    expect(decisionExtras(form)).toEqual({});
  });

  it('keeps marks in the order drawn, removes one, trims the note', () => {
    let form = openForm('a-1', 1000);
    form = addMark(addMark(addMark(form, mark(1)), mark(2)), mark(3));
    form = removeMark(form, 1);
    form = setNote(form, '  knife-shaped object, left pocket \n');
    expect(decisionExtras(form)).toEqual({ marks: [mark(1), mark(3)], note: 'knife-shaped object, left pocket' });
    expect(removeMark(form, 7)).toBe(form);
  });

  it('stops at the protocol\'s limits, so the hub never refuses the decision for them', () => {
    let form = openForm('a-1', 1000);
    for (let i = 0; i < MARKS_MAX + 3; i++) form = addMark(form, mark(i));
    form = setNote(form, 'x'.repeat(NOTE_MAX_CHARS + 40));
    expect(form.marks).toHaveLength(MARKS_MAX);
    expect(form.note).toHaveLength(NOTE_MAX_CHARS);
    const payload = {
      idempotencyKey: '7d7c1f5e-8a59-4a39-9a51-0c6f0f0b2a11', assignmentId: '1f0b8d7e-2c41-4a55-8b1e-2f3c4d5e6f70', bagId: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      verdict: 'search', shownAt: '2030-01-01T10:00:00.000Z', decidedAt: '2030-01-01T10:00:02.500Z', ...decisionExtras(form),
    };
    expect(DecisionSubmit.safeParse(payload).success).toBe(true);
  });

  it('says how many regions are marked', () => {
    expect([0, 1, 3].map(marksText)).toEqual(['No regions marked', '1 region marked', '3 regions marked']);
  });
});
