/** A robot's battery or link latency over time, drawn by uPlot from the robot's ring buffer. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartData } from './history.ts';
import { historyOf, useRobots } from './robot-store.ts';

interface Props {
  robotId: string;
  what: 'battery' | 'latency';
}

const LOOK = {
  battery: { label: 'Battery %', stroke: '#3fb96b', range: [0, 100] as [number, number] },
  latency: { label: 'Link latency ms', stroke: '#7cc4ff', range: null },
} as const;

const AXIS = { stroke: '#9aa7b6', grid: { stroke: '#263241', width: 1 }, ticks: { stroke: '#263241', width: 1 }, font: '11px system-ui, sans-serif' };
/** Checkpoint clock time on the time axis (uPlot's default writes US dates). */
const TIME_AXIS: uPlot.Axis = { ...AXIS, values: (_u, splits) => splits.map((s) => new Date(s * 1000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })) };
const HEIGHT = 110;

function dataFor(robotId: string, what: Props['what']): uPlot.AlignedData {
  const [t, battery, latency] = chartData(historyOf(robotId).samples.toArray());
  return [t, what === 'battery' ? battery : latency];
}

export function TimeChart({ robotId, what }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const drawnAt = useRef<number | undefined>(undefined);
  const revision = useRobots((s) => s.historyRevision);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const look = LOOK[what];
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: look.range ? { range: look.range } : { range: (_u, _min, max) => [0, Math.max(10, (max ?? 0) * 1.2)] } },
      axes: [TIME_AXIS, { ...AXIS, size: 42 }],
      series: [{}, { label: look.label, stroke: look.stroke, width: 2, spanGaps: false, points: { show: false } }],
    };
    const u = new uPlot(opts, dataFor(robotId, what), el);
    plot.current = u;
    drawnAt.current = historyOf(robotId).samples.last()?.t;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [robotId, what]);

  useEffect(() => {
    // The revision moves for every robot's trail too: redraw only on a new sample of this robot.
    const last = historyOf(robotId).samples.last()?.t;
    if (!plot.current || last === drawnAt.current) return;
    drawnAt.current = last;
    plot.current.setData(dataFor(robotId, what));
  }, [revision, robotId, what]);

  return (
    <figure className="time-chart" data-testid={`chart-${what}`}>
      <figcaption>{LOOK[what].label.replace(' %', ' (%)').replace(' ms', ' (ms)')}</figcaption>
      <div ref={box} className="time-chart-plot" />
    </figure>
  );
}
