import { describe, expect, it } from 'vitest';
import { preferredRenderer } from './view-renderer.ts';

describe('renderer choice', () => {
  it('is automatic unless the address asks for the CPU or for WebGL2', () => {
    expect(preferredRenderer('')).toBe('auto');
    expect(preferredRenderer('?renderer=cpu')).toBe('cpu');
    expect(preferredRenderer('?renderer=webgl2')).toBe('webgl2');
    expect(preferredRenderer('?renderer=gpu')).toBe('auto');
    expect(preferredRenderer('?x=1&renderer=cpu')).toBe('cpu');
  });
});
