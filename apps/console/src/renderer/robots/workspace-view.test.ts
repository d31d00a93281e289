import { describe, expect, it } from 'vitest';
import { canOpenRobots, shownView } from './workspace-view.ts';

describe('workspace by role', () => {
  it('opens the fleet for robot operators and screening for everyone else', () => {
    expect(shownView('robot-operator', null)).toBe('robots');
    expect(shownView('shift-lead', null)).toBe('screening');
    expect(shownView('admin', null)).toBe('screening');
    expect(shownView('screening-officer', null)).toBe('screening');
    expect(shownView(undefined, null)).toBe('screening');
  });

  it('lets shift leads, admins and operators switch, never screening or search officers', () => {
    expect(shownView('shift-lead', 'robots')).toBe('robots');
    expect(shownView('admin', 'robots')).toBe('robots');
    expect(shownView('robot-operator', 'screening')).toBe('screening');
    expect(shownView('screening-officer', 'robots')).toBe('screening');
    expect(shownView('search-officer', 'robots')).toBe('screening');
    expect(canOpenRobots('search-officer')).toBe(false);
  });
});
