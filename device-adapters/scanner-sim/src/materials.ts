import type { MaterialClass } from '@clearway/imaging';

// X-ray attenuation of the materials a bag is made of, from NIST Standard Reference Database 126
// (J. H. Hubbell and S. M. Seltzer, "Tables of X-Ray Mass Attenuation Coefficients and Mass
// Energy-Absorption Coefficients", NISTIR 5632, https://physics.nist.gov/PhysRefData/XrayMassCoef/).
// Elements come from its Table 3, compounds from its Table 4; everything else is a mixture of
// elements by mass fraction, μ/ρ = Σ wᵢ (μ/ρ)ᵢ, which is how NIST's XCOM builds compounds too.
//
// The numbers below were transcribed from the NIST tables (at 40, 50, 60, 80, 100 and 150 keV,
// plus both sides of lead's K edge) via the machine-readable copies in the public repositories
// ehsteve/roentgen (roentgen/data/elements, compounds_mixtures) and kingtaurus/CTSim
// (physicsdata/materials, checked for aluminium); they match NIST's own pages to the digit.
//
// Effective energies. A dual-energy line scanner has two detector layers behind each other; each
// integrates a broad spectrum, and the colour comes from the ratio of their log-attenuations. A
// two-energy model stands in for the spectra with one "effective" energy per layer. With NIST's
// values, the pair 60 / 120 keV puts water at a ratio of 1.28 (so close to the 1.3 organic limit
// of @clearway/imaging's classifyMaterial that noise tips it green) and aluminium at 1.79 (blue,
// where every scanner shows it green). The pair used here, 70 / 120 keV (both inside the 50–70 /
// 100–150 keV ranges quoted for real scanners), is the calibration: the 1.3 boundary then falls at
// Z ≈ 10 (neon 1.31, the textbook organic/inorganic split) and the 1.75 boundary at Z ≈ 15–16
// (silicon 1.60, argon 2.03), a little below the textbook Z ≈ 18. The resulting ratios:
//
// | material            | source (NIST SRD 126)            | ρ g/cm³ | μ/ρ 70 keV | μ/ρ 120 keV | ratio | band      |
// | ------------------- | -------------------------------- | ------- | ---------- | ----------- | ----- | --------- |
// | water (liquids)     | Table 4 "Water, Liquid"          | 1.00    | 0.1937     | 0.1613      | 1.20  | organic   |
// | polyethylene        | Table 4 "Polyethylene"           | 0.94    | 0.1890     | 0.1633      | 1.16  | organic   |
// | PVC                 | Table 4 "Polyvinyl Chloride"     | 1.40    | 0.2728     | 0.1695      | 1.61  | inorganic |
// | paper (cellulose)   | Table 3 H, C, O as C6H10O5       | 0.80    | 0.1820     | 0.1535      | 1.19  | organic   |
// | cotton fabric       | Table 3 H, C, O as C6H10O5       | 0.12 *  | 0.1820     | 0.1535      | 1.19  | organic   |
// | rubber              | Table 3 H, C as C5H8             | 1.10    | 0.1852     | 0.1599      | 1.16  | organic   |
// | polycarbonate       | Table 3 H, C, O as C16H14O3      | 1.20    | 0.1778     | 0.1518      | 1.17  | organic   |
// | nylon (PA 6)        | Table 3 H, C, N, O as C6H11NO    | 1.14    | 0.1842     | 0.1576      | 1.17  | organic   |
// | butane              | Table 3 H, C as C4H10            | 0.573   | 0.1934     | 0.1674      | 1.16  | organic   |
// | glass (Pyrex)       | Table 4 "Glass, Borosilicate"    | 2.23    | 0.2119     | 0.1531      | 1.38  | inorganic |
// | aluminium           | Table 3 Z = 13                   | 2.699   | 0.2341     | 0.1549      | 1.51  | inorganic |
// | iron / steel        | Table 3 Z = 26                   | 7.874   | 0.8257     | 0.2790      | 2.96  | metal     |
// | copper              | Table 3 Z = 29                   | 8.96    | 1.0738     | 0.3307      | 3.25  | metal     |
// | lead                | Table 3 Z = 82                   | 11.35   | 3.395      | 3.518       | 0.97  | see below |
// | lithium-ion cell    | Table 3 mixture, see LI_ION_CELL | 2.78    | 0.5340     | 0.2209      | 2.42  | metal     |
//
// (*) bulk density of folded clothes, fibre plus the air between the layers (cotton fibre: 1.54).
// Lead's K edge (88 keV) lies between the two effective energies, so a two-energy model makes its
// ratio fall below 1; a real tube spectrum straddles the edge. Lead only ever appears here in
// thicknesses that stop the beam (bullet cores) or in solder mixed with tin, and reads
// impenetrable or metal there.
// Densities: NIST Table 1/2 for elements, water and Pyrex; solid PVC 1.40 (NBS GCR 77-83);
// polymers, paper, wood, rubber and butane (liquid at 25 °C under its vapour pressure): handbook
// values; mixtures as stated where they are defined.

/** Effective photon energies of the two detector layers (keV); see the calibration note above. */
export const EFFECTIVE_ENERGY_KEV = { low: 70, high: 120 } as const;

type Table = readonly (readonly [keV: number, muRho: number])[];

const g = (v40: number, v50: number, v60: number, v80: number, v100: number, v150: number): Table => [
  [40, v40],
  [50, v50],
  [60, v60],
  [80, v80],
  [100, v100],
  [150, v150],
];

/** μ/ρ in cm²/g: NIST SRD 126 Table 3 (elements) and Table 4 (compounds). */
export const NIST_MU_RHO = {
  H: g(0.3458, 0.3355, 0.326, 0.3091, 0.2944, 0.2651),
  Li: g(0.1551, 0.1488, 0.1438, 0.1356, 0.1289, 0.1158),
  C: g(0.2076, 0.1871, 0.1753, 0.161, 0.1514, 0.1347),
  N: g(0.2288, 0.198, 0.1817, 0.1639, 0.1529, 0.1353),
  O: g(0.2585, 0.2132, 0.1907, 0.1678, 0.1551, 0.1361),
  Al: g(0.5685, 0.3681, 0.2778, 0.2018, 0.1704, 0.1378),
  Si: g(0.7012, 0.4385, 0.3207, 0.2228, 0.1835, 0.1448),
  Ca: g(1.83, 1.019, 0.6578, 0.3656, 0.2571, 0.1674),
  Fe: g(3.629, 1.958, 1.205, 0.5952, 0.3717, 0.1964),
  Co: g(3.981, 2.144, 1.314, 0.6414, 0.3949, 0.2023),
  Cu: g(4.862, 2.613, 1.593, 0.763, 0.4584, 0.2217),
  Zn: g(5.384, 2.892, 1.76, 0.8364, 0.4973, 0.2341),
  Sn: g(19.42, 10.7, 6.564, 3.029, 1.676, 0.6091),
  // The K edge at 88.0 keV: the value just below, then just above.
  Pb: [[40, 14.36], [50, 8.041], [60, 5.021], [80, 2.419], [88, 1.91], [88, 7.683], [100, 5.549], [150, 2.014]],
  water: g(0.2683, 0.2269, 0.2059, 0.1837, 0.1707, 0.1505),
  polyethylene: g(0.2275, 0.2084, 0.197, 0.1823, 0.1719, 0.1534),
  pvc: g(0.73, 0.4559, 0.3325, 0.2298, 0.1887, 0.1486),
  pyrex: g(0.4341, 0.3022, 0.2417, 0.189, 0.1657, 0.1389),
} as const satisfies Record<string, Table>;

type Substance = keyof typeof NIST_MU_RHO;
type Element = 'H' | 'Li' | 'C' | 'N' | 'O' | 'Al' | 'Si' | 'Ca' | 'Fe' | 'Co' | 'Cu' | 'Zn' | 'Sn' | 'Pb';

const ATOMIC_MASS: Record<Element, number> = {
  H: 1.008, Li: 6.94, C: 12.011, N: 14.007, O: 15.999, Al: 26.982, Si: 28.085, Ca: 40.078,
  Fe: 55.845, Co: 58.933, Cu: 63.546, Zn: 65.38, Sn: 118.71, Pb: 207.2,
};

/** Mass fractions of a chemical formula, e.g. { C: 6, H: 10, O: 5 } for cellulose. */
function formula(atoms: Partial<Record<Element, number>>): Partial<Record<Substance, number>> {
  const out: Partial<Record<Substance, number>> = {};
  for (const [el, n] of Object.entries(atoms) as [Element, number][]) out[el] = n * ATOMIC_MASS[el];
  return out;
}

/** Scales a composition so that its fractions sum to `total` (default 1). */
function share(parts: Partial<Record<Substance, number>>, total = 1): Partial<Record<Substance, number>> {
  let sum = 0;
  for (const v of Object.values(parts)) sum += v ?? 0;
  const out: Partial<Record<Substance, number>> = {};
  for (const [k, v] of Object.entries(parts) as [Substance, number][]) out[k] = (v / sum) * total;
  return out;
}

function blend(...parts: Partial<Record<Substance, number>>[]): Partial<Record<Substance, number>> {
  const out: Partial<Record<Substance, number>> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p) as [Substance, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}

const CELLULOSE = formula({ C: 6, H: 10, O: 5 });
const EPOXY = formula({ C: 18, H: 20, O: 3 }); // bisphenol-A epoxy resin, roughly
/** E-glass fibre by mass: SiO2 54 %, CaO 22 %, Al2O3 14 %, B2O3 8 % (boron, Z = 5, counted as carbon). */
const E_GLASS = blend(
  share(formula({ Si: 1, O: 2 }), 0.54),
  share(formula({ Ca: 1, O: 1 }), 0.22),
  share(formula({ Al: 2, O: 3 }), 0.14),
  share(formula({ C: 2, O: 3 }), 0.08),
);

/**
 * A whole 18650 lithium-ion cell, by mass (typical tear-down shares): nickel-plated steel can
 * 20 %, LiCoO₂ cathode 35 %, graphite anode 18 %, copper foil 8 %, aluminium foil 4 %, carbonate
 * electrolyte 12 % (as C₃H₆O₃; its LiPF₆ left out), polyethylene separator 3 %. 46 g in 16.5 cm³:
 * 2.78 g/cm³.
 */
const LI_ION_CELL = blend(
  { Fe: 0.2 },
  share(formula({ Li: 1, Co: 1, O: 2 }), 0.35),
  { C: 0.18, Cu: 0.08, Al: 0.04 },
  share(formula({ C: 3, H: 6, O: 3 }), 0.12),
  share(formula({ C: 2, H: 4 }), 0.03),
);
/** A pouch cell (phones, power banks, laptops): the same without the steel can, in aluminium laminate. */
const LI_ION_POUCH = share(blend(
  share(formula({ Li: 1, Co: 1, O: 2 }), 0.4),
  { C: 0.22, Cu: 0.1, Al: 0.08 },
  share(formula({ C: 3, H: 6, O: 3 }), 0.15),
  share(formula({ C: 2, H: 4 }), 0.05),
));

export interface Material {
  /** What it stands for. */
  description: string;
  /** g/cm³ */
  density: number;
  /** Mass attenuation coefficients μ/ρ (cm²/g) at the low and high effective energies. */
  muRho: { low: number; high: number };
  /** Linear attenuation μ = μ/ρ × ρ (1/cm) at the low- and high-energy detector layers. */
  low: number;
  high: number;
  /** The colour band a screener expects a pixel through this material alone to show. */
  class: Exclude<MaterialClass, 'air' | 'impenetrable'>;
}

interface MaterialDef {
  description: string;
  density: number;
  composition: Partial<Record<Substance, number>>;
  class: Material['class'];
}

const DEFS = {
  water: { description: 'water, drinks, shampoo, food (NIST water)', density: 1, composition: { water: 1 }, class: 'organic' },
  polyethylene: { description: 'HDPE bottles, caps, foam board (NIST polyethylene)', density: 0.94, composition: { polyethylene: 1 }, class: 'organic' },
  foam: { description: 'padding foam (polyethylene at 0.05 g/cm³)', density: 0.05, composition: { polyethylene: 1 }, class: 'organic' },
  pvc: { description: 'cable insulation, grips (NIST PVC, solid 1.40 g/cm³)', density: 1.4, composition: { pvc: 1 }, class: 'inorganic' },
  polycarbonate: { description: 'hard-shell cases, housings (C16H14O3)', density: 1.2, composition: formula({ C: 16, H: 14, O: 3 }), class: 'organic' },
  nylon: { description: 'soft bags, straps, polymer gun frames (PA 6, C6H11NO)', density: 1.14, composition: formula({ C: 6, H: 11, N: 1, O: 1 }), class: 'organic' },
  paper: { description: 'books, card (cellulose C6H10O5 at 0.8 g/cm³)', density: 0.8, composition: CELLULOSE, class: 'organic' },
  cotton: { description: 'folded clothes (cellulose; bulk density of folded fabric)', density: 0.12, composition: CELLULOSE, class: 'organic' },
  wood: { description: 'handles (cellulose at 0.65 g/cm³)', density: 0.65, composition: CELLULOSE, class: 'organic' },
  rubber: { description: 'soles, wheels, grips (polyisoprene C5H8, filled compound 1.1 g/cm³)', density: 1.1, composition: formula({ C: 5, H: 8 }), class: 'organic' },
  butane: { description: 'lighter fuel, aerosol propellant (C4H10, liquid at 25 °C)', density: 0.573, composition: formula({ C: 4, H: 10 }), class: 'organic' },
  toothpaste: {
    description: 'toothpaste: 40 % water, 35 % sorbitol, 20 % silica, 5 % CaCO3',
    density: 1.3,
    composition: blend({ water: 0.4 }, share(formula({ C: 6, H: 14, O: 6 }), 0.35), share(formula({ Si: 1, O: 2 }), 0.2), share(formula({ Ca: 1, C: 1, O: 3 }), 0.05)),
    class: 'organic',
  },
  glass: { description: 'bottles, screens (NIST borosilicate "Pyrex")', density: 2.23, composition: { pyrex: 1 }, class: 'inorganic' },
  ceramic: { description: 'mugs, plates (Pyrex composition at 2.4 g/cm³)', density: 2.4, composition: { pyrex: 1 }, class: 'inorganic' },
  fr4: { description: 'circuit boards: 60 % E-glass fibre, 40 % epoxy', density: 1.85, composition: blend(share(E_GLASS, 0.6), share(EPOXY, 0.4)), class: 'inorganic' },
  aluminium: { description: 'handle tubes, laptop cases, cans (NIST Z = 13)', density: 2.699, composition: { Al: 1 }, class: 'inorganic' },
  steel: { description: 'tools, blades, guns, springs, zips (iron, NIST Z = 26)', density: 7.874, composition: { Fe: 1 }, class: 'metal' },
  copper: { description: 'wires, coils, heat pipes (NIST Z = 29)', density: 8.96, composition: { Cu: 1 }, class: 'metal' },
  brass: { description: 'cartridge cases, zip teeth, pins (Cu 63 / Zn 37)', density: 8.5, composition: { Cu: 0.63, Zn: 0.37 }, class: 'metal' },
  solder: { description: 'solder (Sn 63 / Pb 37)', density: 8.4, composition: { Sn: 0.63, Pb: 0.37 }, class: 'metal' },
  lead: { description: 'bullet cores (NIST Z = 82)', density: 11.35, composition: { Pb: 1 }, class: 'metal' },
  ferrite: { description: 'transformer cores, magnets (Fe3O4)', density: 4.8, composition: formula({ Fe: 3, O: 4 }), class: 'metal' },
  liIonCell: { description: 'lithium-ion 18650 cell, whole-cell average', density: 2.78, composition: LI_ION_CELL, class: 'metal' },
  liIonPouch: { description: 'lithium-ion pouch cell average', density: 2.4, composition: LI_ION_POUCH, class: 'metal' },
} as const satisfies Record<string, MaterialDef>;

export type MaterialName = keyof typeof DEFS;

/** μ/ρ of a tabulated substance at `keV`, log-log interpolated between NIST's grid points. */
export function substanceMuRho(substance: Substance, keV: number): number {
  const table: Table = NIST_MU_RHO[substance];
  for (let i = 0; i + 1 < table.length; i++) {
    const [e0, m0] = table[i] as readonly [number, number];
    const [e1, m1] = table[i + 1] as readonly [number, number];
    if (e1 <= e0 || keV < e0 || keV > e1) continue; // an absorption edge, or not this interval
    const f = Math.log(keV / e0) / Math.log(e1 / e0);
    return Math.exp(Math.log(m0) + f * Math.log(m1 / m0));
  }
  throw new RangeError(`${keV} keV is outside the tabulated 40–150 keV`);
}

function mixtureMuRho(composition: Partial<Record<Substance, number>>, keV: number): number {
  let total = 0;
  let mu = 0;
  for (const [substance, w] of Object.entries(composition) as [Substance, number][]) {
    total += w;
    mu += w * substanceMuRho(substance, keV);
  }
  return mu / total;
}

/** Every material at the given effective energies. */
export function materialsAt(energies: { low: number; high: number } = EFFECTIVE_ENERGY_KEV): Record<MaterialName, Material> {
  const out = {} as Record<MaterialName, Material>;
  for (const [name, def] of Object.entries(DEFS) as [MaterialName, MaterialDef][]) {
    const low = mixtureMuRho(def.composition, energies.low);
    const high = mixtureMuRho(def.composition, energies.high);
    out[name] = { description: def.description, density: def.density, muRho: { low, high }, low: low * def.density, high: high * def.density, class: def.class };
  }
  return out;
}

export const MATERIALS: Readonly<Record<MaterialName, Material>> = materialsAt();
export const MATERIAL_NAMES = Object.keys(DEFS) as MaterialName[];
