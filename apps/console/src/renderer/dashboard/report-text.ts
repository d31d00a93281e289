/** A flight report's timeline events and causes in the dashboard's language (the hub's `text` is English). */
import type { ClockName, FlightReport } from '@clearway/protocol';
import { clockTime } from './dashboard-model.ts';
import type { LabelKey, Values } from './i18n.ts';

type T = (key: LabelKey, values?: Values) => string;
type TimelineEvent = FlightReport['timeline'][number];
type Cause = FlightReport['causes'][number];

export function clockWord(t: T, clock: ClockName | null | undefined): string {
  return clock === 'passengers' ? t('clock.passengers') : t('clock.checkedBags');
}

const str = (v: string | number | undefined) => (v === undefined ? '' : String(v));

export function timelineText(t: T, e: TimelineEvent): string {
  const v = e.values;
  const clock = clockWord(t, e.clock);
  switch (e.kind) {
    case 'scheduled':
      return t('timeline.scheduled', { origin: str(v['origin']), aircraft: str(v['aircraft']) });
    case 'delay':
      return t('timeline.delay', { time: typeof v['estimatedOnBlock'] === 'string' ? clockTime(v['estimatedOnBlock']) : str(v['time']) });
    case 'stand':
      return t('timeline.stand', { stand: str(v['stand']) });
    case 'on-block':
      return t('timeline.on-block');
    case 'cancelled':
      return t('timeline.cancelled', { reason: str(v['reason']) }).trim();
    case 'first-bag':
    case 'last-bag':
      return t(`timeline.${e.kind}`, { lane: str(v['lane']) });
    case 'at-risk':
    case 'on-track':
      return t(`timeline.${e.kind}`, { clock });
    case 'breached':
      return t('timeline.breached', { clock, target: str(v['target']), remaining: str(v['remaining']) });
    case 'cleared':
      return `${t('timeline.cleared', { clock, minutes: str(v['minutes']), target: str(v['target']) })}${v['met'] === 0 ? ` · ${t('report.late')}` : ''}`;
  }
}

export function causeText(t: T, c: Cause): string {
  const v = c.values;
  const from = c.from === null ? '' : clockTime(c.from);
  const to = c.to === null ? '' : clockTime(c.to);
  switch (c.kind) {
    case 'understaffed':
      return t('cause.understaffed', { ...v, from, to });
    case 'slow-decisions':
      return t('cause.slow-decisions', { ...v, from, to });
    case 'lane-stopped':
      return c.to === null ? t('cause.lane-stoppedEnd', { ...v, from }) : t('cause.lane-stopped', { ...v, from, to });
    case 'search-waiting':
      return t('cause.search-waiting', { ...v, time: to });
    case 'late-bags':
      return t(c.clock === 'passengers' ? 'cause.late-cabin' : 'cause.late-checked', { ...v, time: from, last: to });
    case 'time-limit':
      return t('cause.time-limit', v);
  }
}
