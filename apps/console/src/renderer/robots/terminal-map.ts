/**
 * The terminal map (assets/maps/terminal.json) as the console draws it. The file is bundled by
 * vite and still checked here: a hand-edited map with a typo shows an error, not a blank screen.
 */
import { z } from 'zod';

const Point = z.tuple([z.number(), z.number()]);
const Box = { min: Point, max: Point };

export const TerminalMap = z.object({
  name: z.string(),
  frame_id: z.string(),
  units: z.literal('m'),
  bounds: z.object({ minX: z.number(), minY: z.number(), maxX: z.number(), maxY: z.number() }).refine((b) => b.maxX > b.minX && b.maxY > b.minY, 'empty bounds'),
  wallThickness: z.number().positive(),
  walls: z.array(z.object({ id: z.string(), from: Point, to: Point })),
  obstacles: z.array(z.object({ id: z.string(), kind: z.string(), ...Box })),
  zones: z.array(z.object({ id: z.string(), kind: z.string(), name: z.string(), ...Box })),
  docks: z.array(z.object({ id: z.string(), x: z.number(), y: z.number(), theta: z.number(), zone: z.string().optional() })),
});
export type TerminalMap = z.infer<typeof TerminalMap>;

export type MapResult = { ok: true; map: TerminalMap } | { ok: false; error: string };

export function parseTerminalMap(raw: unknown): MapResult {
  const parsed = TerminalMap.safeParse(raw);
  return parsed.success ? { ok: true, map: parsed.data } : { ok: false, error: z.prettifyError(parsed.error) };
}

/** The zone a point lies in, for "near Screening lane 3"; lanes and the search station win over the halls. */
export function zoneAt(map: TerminalMap, x: number, y: number): TerminalMap['zones'][number] | null {
  const hits = map.zones.filter((z) => x >= z.min[0] && x <= z.max[0] && y >= z.min[1] && y <= z.max[1]);
  return hits.find((z) => z.kind !== 'arrival-hall' && z.kind !== 'reclaim') ?? hits[0] ?? null;
}
