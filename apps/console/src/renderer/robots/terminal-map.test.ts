import { describe, expect, it } from 'vitest';
import mapFile from '../../../../../assets/maps/terminal.json';
import { parseTerminalMap, zoneAt } from './terminal-map.ts';

const file: unknown = mapFile;

describe('the terminal map', () => {
  it('reads the map the simulated fleet drives on', () => {
    const result = parseTerminalMap(file);
    if (!result.ok) throw new Error(result.error);
    expect(result.map.docks.length).toBeGreaterThan(0);
    expect(result.map.zones.some((z) => z.kind === 'search-station')).toBe(true);
  });

  it('says which field is wrong in a broken map', () => {
    const broken = { ...(file as object), bounds: { minX: 0, minY: 0, maxX: 'sixty', maxY: 36 } };
    const result = parseTerminalMap(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('bounds.maxX');
    expect(parseTerminalMap(null).ok).toBe(false);
  });

  it('names the zone at a point, a lane before the hall around it', () => {
    const result = parseTerminalMap(file);
    if (!result.ok) throw new Error(result.error);
    expect(zoneAt(result.map, 50, 18)?.name).toBe('Search station');
    expect(zoneAt(result.map, 14, 20)?.name).toBe('Screening lane 2');
    expect(zoneAt(result.map, 5, 5)?.kind).toBe('arrival-hall');
    expect(zoneAt(result.map, -5, 5)).toBeNull();
  });
});
