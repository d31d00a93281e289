import { RATIO_INORGANIC_MAX, RATIO_ORGANIC_MAX } from '@clearway/imaging';
import { describe, expect, it } from 'vitest';
import { EFFECTIVE_ENERGY_KEV, MATERIALS, MATERIAL_NAMES, materialsAt, substanceMuRho } from './materials.ts';

function band(ratio: number): string {
  return ratio < RATIO_ORGANIC_MAX ? 'organic' : ratio < RATIO_INORGANIC_MAX ? 'inorganic' : 'metal';
}

describe('materials', () => {
  it('reads NIST values at the grid points and interpolates log-log between them', () => {
    expect(substanceMuRho('water', 60)).toBeCloseTo(0.2059, 6);
    expect(substanceMuRho('Fe', 100)).toBeCloseTo(0.3717, 6);
    const mid = substanceMuRho('Al', Math.sqrt(60 * 80));
    expect(mid).toBeCloseTo(Math.sqrt(0.2778 * 0.2018), 6);
    // Lead's K edge at 88 keV: a jump, not a slope.
    expect(substanceMuRho('Pb', 87.9)).toBeLessThan(2);
    expect(substanceMuRho('Pb', 88.1)).toBeGreaterThan(7);
    expect(() => substanceMuRho('water', 20)).toThrow(RangeError);
  });

  it('computes linear attenuation as μ/ρ × ρ at the effective energies', () => {
    const water = MATERIALS.water;
    expect(water.muRho.low).toBeCloseTo(substanceMuRho('water', EFFECTIVE_ENERGY_KEV.low), 9);
    expect(water.low).toBeCloseTo(water.muRho.low * water.density, 9);
    expect(MATERIALS.steel.high).toBeCloseTo(7.874 * substanceMuRho('Fe', EFFECTIVE_ENERGY_KEV.high), 9);
  });

  it('puts every material (but lead, see materials.ts) in the colour band a screener expects, with margin', () => {
    for (const name of MATERIAL_NAMES) {
      if (name === 'lead') continue;
      const m = MATERIALS[name];
      const ratio = m.low / m.high;
      expect(band(ratio), `${name}: ratio ${ratio.toFixed(3)}`).toBe(m.class);
      // Far enough from the band edges that detector noise on a few millimetres does not flip it.
      const edge = Math.min(Math.abs(ratio - RATIO_ORGANIC_MAX), Math.abs(ratio - RATIO_INORGANIC_MAX));
      expect(edge, name).toBeGreaterThan(0.03);
    }
  });

  it('shows why the effective energies are 70/120 keV: at 60/120 water nears the organic limit and aluminium turns blue', () => {
    const at60 = materialsAt({ low: 60, high: 120 });
    expect(at60.water.low / at60.water.high).toBeGreaterThan(1.27);
    expect(band(at60.aluminium.low / at60.aluminium.high)).toBe('metal');
    expect(band(MATERIALS.aluminium.low / MATERIALS.aluminium.high)).toBe('inorganic');
  });
});
