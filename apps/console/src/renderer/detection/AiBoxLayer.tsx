import type { PointerEvent } from 'react';
import type { ViewName } from '@clearway/protocol';
import type { ScreenTransform, ViewFrame } from '../viewer/viewport.ts';
import type { AiDetection, Marks } from './review.ts';

/** The console model's boxes on one view, with the officer's marks; a label click cycles the mark. */
export interface AiOverlay {
  boxes: readonly AiDetection[];
  marks: Marks;
  selected: string | null;
  onMark(id: string): void;
}

/** Height of a box's label in CSS pixels (see .ai-label). */
const LABEL_HEIGHT = 20;
const MARK_TEXT = { confirmed: 'threat', dismissed: 'not a threat' } as const;

// The stage pans on pointer down; a label takes its own clicks.
const keepPointer = (event: PointerEvent) => event.stopPropagation();

export function AiBoxLayer({ view, overlay, transform, frame }: { view: ViewName; overlay: AiOverlay; transform: ScreenTransform; frame: ViewFrame }) {
  // Lowest score first, so that where labels overlap the strongest box's label is on top.
  const boxes = overlay.boxes.filter((d) => d.view === view).sort((a, b) => a.score - b.score);
  if (boxes.length === 0) return null;
  return (
    <div className="ai-layer" data-testid={`ai-boxes-${view}`}>
      {boxes.map((d) => {
        const left = d.x * transform.scale + transform.tx;
        const top = d.y * transform.scale + transform.ty;
        const width = d.width * transform.scale;
        const height = d.height * transform.scale;
        if (left > frame.elementWidth || top > frame.elementHeight || left + width < 0 || top + height < 0) return null;
        const mark = overlay.marks[d.id];
        const selected = overlay.selected === d.id;
        // Below the box (the scanner's own labels sit above theirs), or inside at the bottom edge.
        const below = top + height + LABEL_HEIGHT <= frame.elementHeight;
        const labelTop = below ? top + height : Math.min(top + height, frame.elementHeight) - LABEL_HEIGHT;
        return (
          <div
            key={d.id}
            className={`ai-box ai-${mark ?? 'unmarked'}${selected ? ' ai-selected' : ''}`}
            data-testid="ai-box"
            data-id={d.id}
            data-mark={mark ?? 'unmarked'}
          >
            <div className="ai-outline" style={{ left, top, width, height }} />
            <button
              type="button"
              className="ai-label"
              style={{ left: Math.max(left, 0), top: Math.max(labelTop, 0) }}
              title="Mark: threat → not a threat → unmarked (T marks the selected box)"
              onPointerDown={keepPointer}
              // Keep the keyboard focus where it was: a focused button would take Space and Enter.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => overlay.onMark(d.id)}
            >
              AI {d.label} <span className="ai-score">{Math.round(d.score * 100)}%</span>
              {mark && <span className="ai-mark"> · {MARK_TEXT[mark]}</span>}
            </button>
          </div>
        );
      })}
    </div>
  );
}
