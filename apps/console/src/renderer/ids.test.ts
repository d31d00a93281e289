import { describe, expect, it } from 'vitest';
import { Uuid } from '@clearway/protocol';
import { newIdempotencyKey } from './ids.ts';

describe('idempotency keys', () => {
  it('uses crypto.randomUUID where it exists', () => {
    expect(Uuid.safeParse(newIdempotencyKey()).success).toBe(true);
  });

  it('still makes valid, distinct v4 UUIDs outside a secure context', () => {
    const insecure = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const keys = new Set(Array.from({ length: 100 }, () => newIdempotencyKey(insecure)));
    expect(keys.size).toBe(100);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Uuid.safeParse(key).success).toBe(true);
    }
  });
});
