import { type PointerEvent, useState } from 'react';
import type { ViewBox, ViewName } from '@clearway/protocol';
import type { ScreenTransform, ViewFrame } from '../viewer/viewport.ts';
import { type Point, boxOnScreen, dragRect, markFromDrag } from './mark-geometry.ts';
import './search.css';

/** The regions marked for the search on a bag; with `onAdd`, a drag on the view draws a new one. */
export interface MarkOverlay {
  /** Every mark on the bag (all views), numbered across views in the order drawn. */
  readonly marks: readonly ViewBox[];
  readonly onAdd?: ((mark: ViewBox) => void) | undefined;
  readonly onRemove?: ((index: number) => void) | undefined;
}

// The stage pans on pointer down; the remove buttons take their own clicks.
const keepPointer = (event: PointerEvent) => event.stopPropagation();

function pointIn(event: PointerEvent<HTMLElement>): Point {
  const rect = event.currentTarget.getBoundingClientRect();
  return { x: event.clientX - rect.left, y: event.clientY - rect.top };
}

export function MarkLayer({ view, image, overlay, transform, frame }: {
  view: ViewName;
  image: { width: number; height: number };
  overlay: MarkOverlay;
  transform: ScreenTransform;
  frame: ViewFrame;
}) {
  const [drag, setDrag] = useState<{ pointerId: number; from: Point; to: Point } | null>(null);
  const onAdd = overlay.onAdd;
  const onRemove = overlay.onRemove;
  const drawing = onAdd !== undefined;
  if (!drawing && !overlay.marks.some((m) => m.view === view)) return null;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (!drawing || event.button !== 0) return;
    // While marking, a drag draws instead of panning (the keys and the wheel still zoom and pan).
    event.stopPropagation();
    event.currentTarget.setPointerCapture(event.pointerId);
    const p = pointIn(event);
    setDrag({ pointerId: event.pointerId, from: p, to: p });
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (drag?.pointerId === event.pointerId) setDrag({ ...drag, to: pointIn(event) });
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (drag?.pointerId !== event.pointerId) return;
    setDrag(null);
    const mark = markFromDrag(view, drag.from, pointIn(event), transform, image);
    if (mark && onAdd) onAdd(mark);
  };

  return (
    <div
      className={`mark-layer${drawing ? ' mark-drawing' : ''}`}
      data-testid={`marks-${view}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => setDrag(null)}
    >
      {overlay.marks.map((mark, index) => {
        if (mark.view !== view) return null;
        const r = boxOnScreen(mark, transform);
        if (r.left > frame.elementWidth || r.top > frame.elementHeight || r.left + r.width < 0 || r.top + r.height < 0) return null;
        return (
          <div
            key={`${index}-${mark.x}-${mark.y}`}
            className="search-mark"
            data-testid="search-mark"
            data-image-box={`${mark.x},${mark.y},${mark.width},${mark.height}`}
            style={{ left: r.left, top: r.top, width: r.width, height: r.height }}
          >
            <span className="search-mark-label">{index + 1}</span>
            {onRemove && (
              <button
                type="button"
                className="search-mark-remove"
                aria-label={`Remove region ${index + 1}`}
                title="Remove this region (Backspace removes the last one)"
                onPointerDown={keepPointer}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => onRemove(index)}
              >
                ×
              </button>
            )}
          </div>
        );
      })}
      {drag && <div className="search-mark search-mark-live" style={dragRect(drag.from, drag.to)} />}
    </div>
  );
}
