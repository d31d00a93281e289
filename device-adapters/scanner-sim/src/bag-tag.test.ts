import { BagTag } from '@clearway/protocol';
import { expect, it } from 'vitest';
import { licencePlate } from './bag-tag.ts';

it('prints 10-digit IATA licence plates with the airline code', () => {
  const tag = licencePlate(1, 0, 'CA981');
  expect(tag).toMatch(/^0999\d{6}$/);
  expect(BagTag.safeParse(tag).success).toBe(true);
  expect(licencePlate(1, 0, 'LH720')).toMatch(/^0220\d{6}$/);
  expect(licencePlate(1, 0, 'ZZ1')).toMatch(/^0\d{9}$/);
});

it('is the same for the same seed and unique within a run', () => {
  expect(licencePlate(9, 3, 'CA981')).toBe(licencePlate(9, 3, 'CA981'));
  expect(licencePlate(9, 3, 'CA981')).not.toBe(licencePlate(10, 3, 'CA981'));
  const tags = Array.from({ length: 5_000 }, (_, i) => licencePlate(9, i, 'CA981'));
  expect(new Set(tags).size).toBe(tags.length);
});
