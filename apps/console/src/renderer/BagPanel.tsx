import { useCallback, useEffect } from 'react';
import type { BagAssigned } from '@clearway/protocol';
import { clockTime } from './format.ts';
import { toolCommandForKey } from './keys.ts';
import { bagPainted } from './screening-store.ts';
import { applyToolCommand } from './viewer/image-tools-store.ts';
import { ScanViewer } from './viewer/ScanViewer.tsx';
import { ToolBar } from './viewer/ToolBar.tsx';

/** Tool keys act on this bag only: its tools die with it, so the next bag starts with none. */
function useToolKeys(assignmentId: string): void {
  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      const command = toolCommandForKey(event);
      if (command === null || command === 'help' || command === 'close-help') return;
      event.preventDefault();
      applyToolCommand(assignmentId, command);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [assignmentId]);
}

function MachineFact({ assignment }: { assignment: BagAssigned }) {
  const result = assignment.machineResult;
  if (!result) return null;
  const count = result.detections.length;
  return (
    <div className={`machine-fact ${result.alarm ? 'machine-alarm' : 'machine-clear'}`} title={result.algorithm}>
      <dt>Machine</dt>
      <dd data-testid="machine-result">
        {result.alarm ? 'Alarm' : 'No alarm'}
        {count > 0 && <span className="machine-count"> · {count === 1 ? '1 object' : `${count} objects`}</span>}
      </dd>
    </div>
  );
}

export function BagPanel({ assignment }: { assignment: BagAssigned }) {
  const { assignmentId, bag, views } = assignment;
  const painted = useCallback((at: Date) => bagPainted(assignmentId, at), [assignmentId]);
  useToolKeys(assignmentId);
  const detections = assignment.machineResult?.detections ?? [];
  const materialInfo = views.some((view) => view.low !== undefined);
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
        <MachineFact assignment={assignment} />
      </dl>
      <div className={`scan-views scan-views-${views.length}`}>
        {views.map((view) => (
          <ScanViewer key={view.view} assignmentId={assignmentId} view={view} detections={detections} onPainted={painted} />
        ))}
      </div>
      <ToolBar assignmentId={assignmentId} materialInfo={materialInfo} boxCount={detections.length} />
    </section>
  );
}
