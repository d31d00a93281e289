/**
 * A clock's burn-down drawn by uPlot: what was left over time, the projection from now with its
 * 80 % band, the target line, and the deadline as a dashed upright.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ClearanceClock, ClockName } from '@clearway/protocol';
import { burnDown, type BurnDown } from './burn-down.ts';
import { clockTime, type Sample } from './dashboard-model.ts';
import { useT } from './i18n.ts';

interface Props {
  flightId: string;
  name: ClockName;
  clock: ClearanceClock;
  samples: readonly Sample[];
  now: number;
  height?: number;
}

const COLOURS = { remaining: '#e8edf2', projection: '#7cc4ff', band: 'rgba(124, 196, 255, 0.16)', target: '#e8b339', deadline: '#ff6b5e' } as const;
const AXIS = { stroke: '#9aa7b6', grid: { stroke: '#263241', width: 1 }, ticks: { stroke: '#263241', width: 1 }, font: '11px system-ui, sans-serif' };
const TIME_AXIS: uPlot.Axis = { ...AXIS, values: (_u, splits) => splits.map((s) => clockTime(s * 1000)) };
/** Bags and passengers come whole: no ticks between them. */
const COUNT_AXIS: uPlot.Axis = { ...AXIS, size: 40, incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000] };

function aligned(d: BurnDown): uPlot.AlignedData {
  return [d.x, d.remaining, d.expected, d.earliest, d.latest, d.target];
}

export function BurnDownChart({ flightId, name, clock, samples, now, height = 120 }: Props) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useMemo(() => burnDown(clock, samples, now), [clock, samples, now]);
  // The draw hook reads the latest deadline without rebuilding the chart.
  const marks = useRef({ deadline: data.deadline });
  const labels = { remaining: t('chart.remaining'), projection: t('chart.projection'), band: t('chart.band'), target: t('chart.target') };

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const line = (label: string, stroke: string, extra: Partial<uPlot.Series> = {}): uPlot.Series => ({ label, stroke, width: 2, points: { show: false }, spanGaps: false, ...extra });
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 0) * 1.05)] } },
      axes: [TIME_AXIS, COUNT_AXIS],
      series: [
        {},
        // What was left falls in steps, one per decision.
        line('remaining', COLOURS.remaining, uPlot.paths.stepped ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
        line('expected', COLOURS.projection, { dash: [6, 4] }),
        line('earliest', COLOURS.projection, { width: 1, alpha: 0.5 }),
        line('latest', COLOURS.projection, { width: 1, alpha: 0.5 }),
        line('target', COLOURS.target, { dash: [2, 4] }),
      ],
      bands: [{ series: [4, 3], fill: COLOURS.band }],
      hooks: {
        draw: [
          (u) => {
            const x = u.valToPos(marks.current.deadline, 'x', true);
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = COLOURS.deadline;
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    const u = new uPlot(opts, [[], [], [], [], [], []], el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [height]);

  useEffect(() => {
    marks.current = { deadline: data.deadline };
    plot.current?.setData(aligned(data));
  }, [data]);

  const drawn = data.remaining.filter((v) => v !== null).length;
  return (
    <figure className="burn-down" data-testid={`burn-down-${name}-${flightId}`} data-points={drawn} data-remaining={clock.remaining}>
      <figcaption>
        <span>{name === 'checkedBags' ? t('chart.checkedBags') : t('chart.passengers')}</span>
        <span className="burn-down-legend">
          <span className="key key-remaining">{labels.remaining}</span>
          <span className="key key-projection">{labels.projection}</span>
          <span className="key key-band">{labels.band}</span>
          <span className="key key-target">{labels.target}</span>
        </span>
      </figcaption>
      <div ref={box} className="burn-down-plot" />
    </figure>
  );
}
