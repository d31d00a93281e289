import { type PointerEvent, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Detection, ScanView } from '@clearway/protocol';
import { type ToolImage, u16View } from '@clearway/imaging';
import { type AiOverlay, AiBoxLayer } from '../detection/AiBoxLayer.tsx';
import { registerProbe } from '../gpu/probe.ts';
import { type MarkOverlay, MarkLayer } from '../search/MarkLayer.tsx';
import { type DeviceTransform, type RendererChoice, type RendererKind, type ViewRenderer, createViewRenderer, preferredRenderer } from '../gpu/view-renderer.ts';
import { viewportOf } from './image-tools.ts';
import { reportFrame, setViewport, toolsOf, useImageTools } from './image-tools-store.ts';
import { type ScreenTransform, type ViewFrame, initialViewport, panBy, screenTransform, wheelFactor, zoomBy } from './viewport.ts';

interface Props {
  assignmentId: string;
  view: ScanView;
  /** The machine's detections on this view. */
  detections: readonly Detection[];
  /** The console model's boxes (all views; this one draws its own), unless hidden. */
  ai?: AiOverlay | undefined;
  /** Regions marked for the search (image pixels); with `onAdd`, a drag draws one instead of panning. */
  marks?: MarkOverlay | undefined;
  /** Called when the image has been drawn; the browser shows it in the very next frame. */
  onPainted(at: Date): void;
}

const VIEW_NAMES = { top: 'Top view', side: 'Side view' } as const;
const RENDERER_NAMES: Record<RendererKind, string> = { webgl2: 'GPU', cpu: 'CPU' };
/** Height of a detection's label in CSS pixels (see .pto-label). */
const LABEL_HEIGHT = 20;

function toolImage(view: ScanView): ToolImage {
  return { width: view.width, height: view.height, high: u16View(view.high), low: view.low ? u16View(view.low) : undefined };
}

function measure(element: HTMLElement, image: ToolImage): ViewFrame {
  const rect = element.getBoundingClientRect();
  return { imageWidth: image.width, imageHeight: image.height, elementWidth: rect.width, elementHeight: rect.height };
}

function zoomText(zoom: number): string {
  return `${zoom < 10 ? zoom.toFixed(1) : zoom.toFixed(0)}×`;
}

/** One X-ray view with the officer's tools, zoom and pan, and the machine's boxes. */
export function ScanViewer({ assignmentId, view, detections, ai, marks, onPainted }: Props) {
  const stage = useRef<HTMLDivElement>(null);
  const rendererBadge = useRef<HTMLSpanElement>(null);
  const renderer = useRef<ViewRenderer | null>(null);
  const painted = useRef(false);
  const drawn = useRef<{ transform: DeviceTransform } | null>(null);
  const [want, setWant] = useState<RendererChoice>(() => preferredRenderer(window.location.search));
  const image = useMemo(() => toolImage(view), [view]);
  const tools = useImageTools((s) => toolsOf(s, assignmentId));
  const frame = tools.frames[view.view];
  const viewport = viewportOf(tools, view.view);
  const transform: ScreenTransform | null = frame ? screenTransform(viewport ?? initialViewport(frame), frame) : null;
  const zoom = viewport?.zoom ?? 1;
  const single = view.low === undefined;

  // The renderer and its canvas; a lost GPU context brings the CPU renderer in.
  useLayoutEffect(() => {
    const host = stage.current;
    if (!host) return;
    const { renderer: r, fallback } = createViewRenderer(image, want, () => setWant('cpu'));
    r.canvas.className = 'scan-canvas';
    r.canvas.dataset['testid'] = `view-${view.view}`;
    r.canvas.dataset['renderer'] = r.kind;
    r.canvas.setAttribute('role', 'img');
    r.canvas.setAttribute('aria-label', `${VIEW_NAMES[view.view]} of the bag`);
    host.prepend(r.canvas);
    host.dataset['renderer'] = r.kind;
    const badge = rendererBadge.current;
    if (badge) {
      badge.textContent = RENDERER_NAMES[r.kind];
      badge.title = r.kind === 'webgl2' ? 'Drawn on the GPU (WebGL2)' : `Drawn on the CPU${fallback ? `: ${fallback}` : ''}`;
    }
    renderer.current = r;
    drawn.current = null;
    const unregister = registerProbe(view.view, r, () => ({
      settings: toolsOf(useImageTools.getState(), assignmentId).settings,
      transform: drawn.current?.transform ?? { scale: 1, tx: 0, ty: 0 },
    }));
    return () => {
      unregister();
      renderer.current = null;
      r.dispose();
    };
  }, [assignmentId, image, want, view.view]);

  // The element's size, for zoom and pan.
  useLayoutEffect(() => {
    const host = stage.current;
    if (!host) return;
    const report = () => reportFrame(assignmentId, view.view, measure(host, image));
    report();
    const observer = new ResizeObserver(report);
    observer.observe(host);
    return () => observer.disconnect();
  }, [assignmentId, image, view.view]);

  // Draw whenever the tools, the viewport or the size change.
  useLayoutEffect(() => {
    const r = renderer.current;
    const host = stage.current;
    if (!r || !host) return;
    const f = frame ?? measure(host, image);
    const t = screenTransform(viewport ?? initialViewport(f), f);
    const dpr = window.devicePixelRatio || 1;
    const device: DeviceTransform = { scale: t.scale * dpr, tx: t.tx * dpr, ty: t.ty * dpr };
    r.setSettings(tools.settings);
    r.draw(Math.max(1, Math.round(f.elementWidth * dpr)), Math.max(1, Math.round(f.elementHeight * dpr)), device);
    drawn.current = { transform: device };
    if (!painted.current) {
      painted.current = true;
      // Recorded here, in the same commit that shows the bag's tag, rather than a frame later:
      // a key pressed as soon as the bag appears must find its shownAt.
      onPainted(new Date());
    }
  }, [frame, image, onPainted, tools.settings, viewport, want]);

  // Wheel zoom at the pointer (a non-passive listener, so the page does not scroll).
  useEffect(() => {
    const host = stage.current;
    if (!host) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const current = toolsOf(useImageTools.getState(), assignmentId);
      const f = current.frames[view.view];
      const vp = viewportOf(current, view.view);
      if (!f || !vp) return;
      const rect = host.getBoundingClientRect();
      setViewport(assignmentId, view.view, zoomBy(vp, f, wheelFactor(event.deltaY, event.deltaMode), { x: event.clientX - rect.left, y: event.clientY - rect.top }));
    };
    host.addEventListener('wheel', onWheel, { passive: false });
    return () => host.removeEventListener('wheel', onWheel);
  }, [assignmentId, view.view]);

  // Drag to pan.
  const drag = useRef<{ pointerId: number; x: number; y: number } | null>(null);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { pointerId: event.pointerId, x: event.clientX, y: event.clientY };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== event.pointerId) return;
    const current = toolsOf(useImageTools.getState(), assignmentId);
    const f = current.frames[view.view];
    const vp = viewportOf(current, view.view);
    if (f && vp) setViewport(assignmentId, view.view, panBy(vp, f, event.clientX - d.x, event.clientY - d.y));
    d.x = event.clientX;
    d.y = event.clientY;
  };
  const endDrag = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId === event.pointerId) drag.current = null;
  };

  const boxes = tools.showBoxes && transform ? detections.filter((d) => d.box.view === view.view) : [];

  return (
    <figure className="scan-view" data-view={view.view} data-zoom={zoom.toFixed(2)} data-testid={`viewer-${view.view}`}>
      <div
        ref={stage}
        className={`scan-stage${zoom > 1 ? ' zoomed' : ''}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
      >
        {transform && frame && boxes.length > 0 && (
          <div className="pto-layer" data-testid={`detections-${view.view}`}>
            {boxes.map((d) => {
              const left = d.box.x * transform.scale + transform.tx;
              const top = d.box.y * transform.scale + transform.ty;
              const width = d.box.width * transform.scale;
              const height = d.box.height * transform.scale;
              if (left > frame.elementWidth || top > frame.elementHeight || left + width < 0 || top + height < 0) return null;
              // The label stays on screen while any of its box does: above the box, or inside it at the top edge.
              const labelLeft = Math.max(left, 0);
              const labelTop = top >= LABEL_HEIGHT ? top - LABEL_HEIGHT : Math.max(top, 0);
              return (
                <div key={d.id} className={`pto pto-${d.category.toLowerCase()}`} data-testid="detection-box">
                  <div className="pto-box" style={{ left, top, width, height }} />
                  <span className={`pto-label${top >= LABEL_HEIGHT ? '' : ' pto-label-inside'}`} style={{ left: labelLeft, top: labelTop }}>
                    {d.label} <span className="pto-score">{Math.round(d.score * 100)}%</span>
                  </span>
                </div>
              );
            })}
          </div>
        )}
        {transform && frame && ai && <AiBoxLayer view={view.view} overlay={ai} transform={transform} frame={frame} />}
        {transform && frame && marks && <MarkLayer view={view.view} image={image} overlay={marks} transform={transform} frame={frame} />}
      </div>
      <figcaption>
        <span className="view-name">{VIEW_NAMES[view.view]}</span>
        {single && (
          <span className="single-energy" data-testid={`single-energy-${view.view}`}>
            Single energy: no material colour, grayscale only
          </span>
        )}
        <span className="view-meta">
          <span className="view-zoom" data-testid={`zoom-${view.view}`}>
            {zoomText(zoom)}
          </span>
          <span className="view-renderer" ref={rendererBadge} />
        </span>
      </figcaption>
    </figure>
  );
}
