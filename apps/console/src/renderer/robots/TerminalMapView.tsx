/**
 * The terminal map in SVG, north up: walls, zones, lanes, the search station, docks, and every
 * robot's pose, heading, trail, path and goal. A click on the map sends the selected robot there.
 */
import { type MouseEvent, memo, useMemo } from 'react';
import mapFile from '../../../../../assets/maps/terminal.json';
import type { HubRobotState, RobotPose } from '@clearway/protocol';
import type { ShownLinkState } from './fleet.ts';
import { type MapTransform, type Point, finitePoint, headingDegrees, insideBounds, mapTransform, screenRect, screenToWorld, worldToScreen } from './map-view.ts';
import { LINK_WORDS, robotName } from './robot-format.ts';
import { historyOf, useRobots } from './robot-store.ts';
import { type TerminalMap, parseTerminalMap } from './terminal-map.ts';

/** SVG units per metre: text and strokes below are in these units. */
const SCALE = 20;
const MARGIN = 12;
/** Drawn larger than a real robot (about 0.6 m): at whole-terminal zoom it must still be found at a glance. */
const ROBOT_RADIUS = 17;

export const MAP = parseTerminalMap(mapFile);

export interface MapRobot {
  readonly id: string;
  readonly index: number;
  readonly state: HubRobotState;
  readonly link: ShownLinkState;
  readonly stopped: boolean;
}

interface Props {
  robots: readonly MapRobot[];
  selectedId: string | null;
  /** Where a click sends the selected robot; null: clicks only select robots. */
  onGoal: ((robotId: string, goal: RobotPose) => void) | null;
  onSelect: (robotId: string) => void;
}

function points(t: MapTransform, list: readonly Point[]): string {
  return list.map((p) => worldToScreen(t, p)).map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

const StaticMap = memo(function StaticMap({ map, t }: { map: TerminalMap; t: MapTransform }) {
  return (
    <g className="map-static">
      <rect className="map-floor" {...screenRect(t, [map.bounds.minX, map.bounds.minY], [map.bounds.maxX, map.bounds.maxY])} />
      {map.zones.map((z) => (
        <rect key={z.id} className={`map-zone map-zone-${z.kind}`} {...screenRect(t, z.min, z.max)} />
      ))}
      {map.obstacles.map((o) => (
        <rect key={o.id} className={`map-obstacle map-obstacle-${o.kind}`} {...screenRect(t, o.min, o.max)}>
          <title>{o.id.replaceAll('-', ' ')}</title>
        </rect>
      ))}
      {map.walls.map((w) => {
        const a = worldToScreen(t, { x: w.from[0], y: w.from[1] });
        const b = worldToScreen(t, { x: w.to[0], y: w.to[1] });
        return <line key={w.id} className="map-wall" x1={a.x} y1={a.y} x2={b.x} y2={b.y} strokeWidth={map.wallThickness * SCALE} />;
      })}
      {map.docks.map((d, i) => {
        const p = worldToScreen(t, d);
        return (
          <g key={d.id} className="map-dock" transform={`translate(${p.x} ${p.y})`}>
            <rect x={-14} y={-14} width={28} height={28} rx={4} />
            <text y={5} textAnchor="middle">
              D{i + 1}
            </text>
            <title>{`Dock ${i + 1} (charging)`}</title>
          </g>
        );
      })}
      {/* Names last: on top of tables and belts. */}
      {map.zones.map((z) => {
        const r = screenRect(t, z.min, z.max);
        return (
          <text key={z.id} x={r.x + 8} y={r.y + 26} className={`map-zone-name map-zone-name-${z.kind}`}>
            {z.kind === 'screening-lane' ? z.name.replace('Screening lane', 'Lane') : z.name}
          </text>
        );
      })}
    </g>
  );
});

function RobotTrail({ t, id }: { t: MapTransform; id: string }) {
  // Read on every render: the trail is a ring buffer that the store's historyRevision announces.
  useRobots((s) => s.historyRevision);
  const trail = historyOf(id).trail.toArray();
  if (trail.length < 2) return null;
  return <polyline className="map-trail" points={points(t, trail)} />;
}

function RobotMarker({ t, robot, selected, goal }: { t: MapTransform; robot: MapRobot; selected: boolean; goal: RobotPose | null }) {
  const pose = robot.state.pose;
  const at = finitePoint(pose);
  const tone = LINK_WORDS[robot.link].tone;
  const path = robot.state.nav?.path ?? null;
  const goalAt = finitePoint(goal);
  const r = ROBOT_RADIUS;
  return (
    <g className={`map-robot tone-${tone}${selected ? ' selected' : ''}${robot.stopped ? ' stopped' : ''}`}>
      <RobotTrail t={t} id={robot.id} />
      {goalAt && path && path.length > 0 && at && <polyline className="map-path" points={points(t, [at, ...path])} />}
      {goalAt && (!path || path.length === 0) && at && (
        <line className="map-path map-path-direct" {...lineAttrs(worldToScreen(t, at), worldToScreen(t, goalAt))} />
      )}
      {goalAt && (
        <g className="map-goal" data-testid={`map-goal-${robot.id}`} transform={`translate(${worldToScreen(t, goalAt).x} ${worldToScreen(t, goalAt).y})`}>
          <circle r={13} />
          <path d="M -8 0 H 8 M 0 -8 V 8" />
          <text y={-19} textAnchor="middle">
            {robot.index + 1}
          </text>
        </g>
      )}
      {at && pose && (
        <g
          className="map-robot-body"
          data-testid={`map-robot-${robot.id}`}
          data-x={pose.x.toFixed(2)}
          data-y={pose.y.toFixed(2)}
          data-link={robot.link}
          transform={`translate(${worldToScreen(t, at).x} ${worldToScreen(t, at).y})`}
        >
          <title>{`${robotName(robot.id)} — ${LINK_WORDS[robot.link].text}${robot.stopped ? ' — STOPPED' : ''}`}</title>
          {selected && <circle className="map-robot-halo" r={r + 7} />}
          <g transform={`rotate(${headingDegrees(pose.theta)})`}>
            <circle className="map-robot-disc" r={r} />
            <path className="map-robot-heading" d={`M ${r + 12} 0 L ${r - 4} -9 L ${r - 4} 9 Z`} />
          </g>
          <text className="map-robot-label" y={6} textAnchor="middle">
            {robot.index + 1}
          </text>
          {robot.stopped && (
            <text className="map-robot-stop" y={-r - 6} textAnchor="middle">
              STOP
            </text>
          )}
        </g>
      )}
    </g>
  );
}

function lineAttrs(a: Point, b: Point) {
  return { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
}

export function TerminalMapView({ robots, selectedId, onGoal, onSelect }: Props) {
  const t = useMemo(() => (MAP.ok ? mapTransform(MAP.map.bounds, SCALE, MARGIN) : null), []);
  const sentGoals = useRobots((s) => s.sentGoals);
  if (!MAP.ok || !t) {
    return (
      <p className="map-error" role="alert">
        The terminal map could not be read: {MAP.ok ? '' : MAP.error}
      </p>
    );
  }
  const map = MAP.map;

  function onClick(event: MouseEvent<SVGSVGElement>): void {
    if (!onGoal || !selectedId || !t) return;
    const ctm = event.currentTarget.getScreenCTM();
    if (!ctm) return;
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
    const world = screenToWorld(t, p);
    if (!insideBounds(map.bounds, world)) return;
    const pose = robots.find((r) => r.id === selectedId)?.state.pose;
    const from = finitePoint(pose);
    // Arrive facing the way it drove: the heading from where it is now to the goal.
    const theta = from ? Math.atan2(world.y - from.y, world.x - from.x) : 0;
    onGoal(selectedId, { x: Math.round(world.x * 100) / 100, y: Math.round(world.y * 100) / 100, theta: Math.round(theta * 1000) / 1000 });
  }

  const selected = robots.find((r) => r.id === selectedId);
  const ordered = selected ? [...robots.filter((r) => r !== selected), selected] : robots;
  return (
    <svg
      className={`terminal-map${onGoal && selectedId ? ' goal-armed' : ''}`}
      data-testid="terminal-map"
      // The transform, for tests and tools that click a map point (see map-view.ts).
      data-scale={t.scale}
      data-margin={t.margin}
      data-min-x={map.bounds.minX}
      data-max-y={map.bounds.maxY}
      viewBox={`0 0 ${t.width} ${t.height}`}
      preserveAspectRatio="xMidYMid meet"
      role="img"
      aria-label={`${map.name}: robots on the map`}
      onClick={onClick}
    >
      <StaticMap map={map} t={t} />
      {ordered.map((robot) => {
        const active = robot.state.nav && (robot.state.nav.status === 'accepted' || robot.state.nav.status === 'executing' || robot.state.nav.status === 'canceling');
        const goal = robot.state.nav?.goal ?? (active ? (sentGoals[robot.id] ?? null) : null);
        return (
          <g
            key={robot.id}
            onClick={(e) => {
              // A click on a robot selects it; it never sends a goal onto another robot.
              e.stopPropagation();
              onSelect(robot.id);
            }}
          >
            <RobotMarker t={t} robot={robot} selected={robot.id === selectedId} goal={goal} />
          </g>
        );
      })}
    </svg>
  );
}
