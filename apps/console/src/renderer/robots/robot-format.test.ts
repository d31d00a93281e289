import { describe, expect, it } from 'vitest';
import { LINK_WORDS, ageText, batteryText, batteryTone, distanceText, etaSeconds, etaText, latencyText, missionText, pointText, robotName } from './robot-format.ts';

describe('robot words', () => {
  it('gives every link state words as well as a tone', () => {
    for (const words of Object.values(LINK_WORDS)) expect(words.text.length).toBeGreaterThan(2);
    expect(LINK_WORDS.disconnected.tone).toBe('bad');
    expect(LINK_WORDS.live.tone).toBe('ok');
  });

  it('writes battery with charging, and unknown for NaN', () => {
    expect(batteryText({ percentage: 0.824, charging: false })).toBe('82 %');
    expect(batteryText({ percentage: 0.5, charging: true })).toBe('50 % · charging');
    expect(batteryText({ percentage: null, charging: false })).toBe('unknown');
    expect(batteryText({ percentage: Number.NaN, charging: false })).toBe('unknown');
    expect(batteryText(null)).toBe('no reading');
  });

  it('warns on a low battery unless it charges', () => {
    expect(batteryTone({ percentage: 0.8, charging: false })).toBe('ok');
    expect(batteryTone({ percentage: 0.15, charging: false })).toBe('warn');
    expect(batteryTone({ percentage: 0.15, charging: true })).toBe('ok');
    expect(batteryTone({ percentage: 0.05, charging: true })).toBe('bad');
    expect(batteryTone(null)).toBe('warn');
  });

  it('writes message ages from tenths of a second to hours', () => {
    expect(ageText(340)).toBe('0.3 s');
    expect(ageText(-5)).toBe('0.0 s');
    expect(ageText(12_400)).toBe('12 s');
    expect(ageText(240_000)).toBe('4 min');
    expect(ageText(3 * 3_600_000)).toBe('3 h');
    expect(ageText(null)).toBe('never');
  });

  it('writes latency, distance and ETA, with a dash when unknown', () => {
    expect(latencyText(3.25)).toBe('3.3 ms');
    expect(latencyText(42.4)).toBe('42 ms');
    expect(latencyText(null)).toBe('—');
    expect(distanceText(12.34)).toBe('12.3 m');
    expect(distanceText(140.4)).toBe('140 m');
    expect(distanceText(0.02)).toBe('under 0.1 m');
    expect(distanceText(null)).toBe('—');
    expect(distanceText(Number.NaN)).toBe('—');
    expect(etaText(8.4)).toBe('8 s');
    expect(etaText(80)).toBe('1 min 20 s');
    expect(etaText(725)).toBe('12 min');
    expect(etaText(null)).toBe('—');
    expect(etaText(-1)).toBe('—');
  });

  it("takes the bridge's ETA, else distance over the current speed, else none", () => {
    expect(etaSeconds({ distanceRemaining: 10, etaSeconds: 12 }, { linear: 0.5 })).toBe(12);
    expect(etaSeconds({ distanceRemaining: 10, etaSeconds: null }, { linear: 0.5 })).toBe(20);
    expect(etaSeconds({ distanceRemaining: 10, etaSeconds: null }, { linear: -0.5 })).toBe(20);
    expect(etaSeconds({ distanceRemaining: 10, etaSeconds: null }, { linear: 0 })).toBeNull();
    expect(etaSeconds({ distanceRemaining: null, etaSeconds: null }, { linear: 1 })).toBeNull();
    expect(etaSeconds({ distanceRemaining: 10, etaSeconds: null }, null)).toBeNull();
    expect(etaSeconds(null, { linear: 1 })).toBeNull();
  });

  it('says how a mission ended, with the reason', () => {
    expect(missionText({ state: 'delivered', reason: null })).toBe('Delivered to the search station');
    expect(missionText({ state: 'failed', reason: 'robot_2 disconnected' })).toBe('Failed: robot_2 disconnected');
    expect(missionText({ state: 'carrying', reason: 'ignored' })).toBe('Carrying the bag to search');
  });

  it('names robots and points', () => {
    expect(robotName('robot_3')).toBe('Robot 3');
    expect(robotName('fleet_a/robot_3')).toBe('fleet_a/robot_3');
    expect(pointText({ x: 12.345, y: 4 })).toBe('(12.3, 4.0)');
    expect(pointText(null)).toBe('unknown');
  });
});
