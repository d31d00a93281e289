import { describe, expect, it } from 'vitest';
import { linkStateOf, linkStateText } from './link-state.ts';

describe('link state', () => {
  it('reads exactly one of the three states', () => {
    expect(linkStateText('connected', 0)).toBe('Connected');
    expect(linkStateText('reconnecting', 0)).toBe('Reconnecting…');
    expect(linkStateText('offline', 0)).toBe('Offline');
  });

  it('adds the decisions still waiting to reach the hub', () => {
    expect(linkStateText('reconnecting', 2)).toBe('Reconnecting… · 2 decisions waiting');
    expect(linkStateText('offline', 1)).toBe('Offline · 1 decision waiting');
    expect(linkStateText('connected', 12)).toBe('Connected · 12 decisions waiting');
  });

  it('derives the state from the socket and the network', () => {
    expect(linkStateOf({ connected: true, active: true }, true)).toBe('connected');
    expect(linkStateOf({ connected: false, active: true }, true)).toBe('reconnecting');
    expect(linkStateOf({ connected: false, active: false }, true)).toBe('offline');
    expect(linkStateOf({ connected: false, active: true }, false)).toBe('offline');
  });
});
