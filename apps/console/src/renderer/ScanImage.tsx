import { useLayoutEffect, useRef } from 'react';
import type { ScanView } from '@clearway/protocol';
import { renderPseudoColour, u16View } from '@clearway/imaging';

interface Props {
  view: ScanView;
  /** Called when the image has been drawn; the browser shows it in the very next frame. */
  onPainted(at: Date): void;
}

/** One X-ray view in the standard material colours, at native resolution, scaled by CSS to fit. */
export function ScanImage({ view, onPainted }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useLayoutEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(view.width, view.height);
    const high = u16View(view.high);
    // Single-energy views have no material information: same attenuation at both energies reads as grey.
    renderPseudoColour(view.low ? u16View(view.low) : high, high, image.data);
    context.putImageData(image, 0, 0);
    // Recorded here, in the same commit that shows the bag's tag, rather than a frame later:
    // a key pressed as soon as the bag appears must find its shownAt.
    onPainted(new Date());
  }, [view, onPainted]);

  return (
    <figure className="scan-view">
      <canvas ref={canvas} data-testid={`view-${view.view}`} width={view.width} height={view.height} aria-label={`${view.view} view`} />
      <figcaption>{view.view === 'top' ? 'Top view' : 'Side view'}</figcaption>
    </figure>
  );
}
