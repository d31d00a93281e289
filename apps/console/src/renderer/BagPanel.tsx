import { useCallback } from 'react';
import type { BagAssigned } from '@clearway/protocol';
import { clockTime } from './format.ts';
import { ScanImage } from './ScanImage.tsx';
import { bagPainted } from './screening-store.ts';

export function BagPanel({ assignment }: { assignment: BagAssigned }) {
  const { assignmentId, bag, views } = assignment;
  const painted = useCallback((at: Date) => bagPainted(assignmentId, at), [assignmentId]);
  return (
    <section className="bag-panel" aria-label={`Bag ${bag.bagTag}`}>
      <dl className="bag-facts">
        <div>
          <dt>Bag</dt>
          <dd data-testid="bag-tag">{bag.bagTag}</dd>
        </div>
        <div>
          <dt>Flight</dt>
          <dd data-testid="bag-flight">{bag.flight}</dd>
        </div>
        <div>
          <dt>Lane</dt>
          <dd data-testid="bag-lane">{bag.lane}</dd>
        </div>
        <div>
          <dt>Scanned</dt>
          <dd data-testid="bag-scanned-at">
            <time dateTime={bag.scannedAt}>{clockTime(bag.scannedAt)}</time>
          </dd>
        </div>
      </dl>
      <div className={`scan-views scan-views-${views.length}`}>
        {views.map((view) => (
          <ScanImage key={view.view} view={view} onPainted={painted} />
        ))}
      </div>
    </section>
  );
}
