import type { MaterialClass } from '@clearway/imaging';

export interface Material {
  /** Linear attenuation per cm at the low- and high-energy detector layers. */
  low: number;
  high: number;
  /** The colour band a pixel through this material alone falls in. */
  class: Exclude<MaterialClass, 'air' | 'impenetrable'>;
}

/**
 * Made-up but plausible coefficients (a bag's worth of density folded in), picked so that the
 * low/high ratio sits well inside @clearway/imaging's bands even under a case's plastic shell:
 * organic ≈ 1.1, inorganic ≈ 1.5-1.6, metal ≥ 2.1. The physics model will replace them with NIST
 * values (see screening-facts.md).
 */
export const MATERIALS = {
  cotton: { low: 0.06, high: 0.054, class: 'organic' }, // folded clothes, ρ ≈ 0.35
  paper: { low: 0.15, high: 0.13, class: 'organic' },
  water: { low: 0.2, high: 0.175, class: 'organic' }, // drinks, food, toiletries
  rubber: { low: 0.21, high: 0.19, class: 'organic' },
  polycarbonate: { low: 0.21, high: 0.19, class: 'organic' }, // hard-shell cases
  nylon: { low: 0.11, high: 0.1, class: 'organic' }, // soft bags, straps
  glass: { low: 0.52, high: 0.34, class: 'inorganic' },
  ceramic: { low: 0.5, high: 0.33, class: 'inorganic' },
  stone: { low: 0.55, high: 0.36, class: 'inorganic' },
  electronics: { low: 0.24, high: 0.15, class: 'inorganic' }, // laptop chassis and boards
  steel: { low: 2.9, high: 1.2, class: 'metal' },
  battery: { low: 1.25, high: 0.58, class: 'metal' }, // lithium-ion cells in steel cans
  coinMetal: { low: 3.6, high: 1.35, class: 'metal' }, // copper-nickel
} as const satisfies Record<string, Material>;

export type MaterialName = keyof typeof MATERIALS;
