/** Screening workspace, beside the last decision: whether that bag carried a projected threat, and whether it was found. */
import { useSession } from '../session-store.ts';
import { useTip } from './tip-store.ts';
import './tip.css';

export function TipNotice() {
  const notice = useTip((s) => s.notice);
  const officerId = useSession((s) => s.officer?.id ?? null);
  if (!notice || notice.officerId !== officerId) return null;
  return (
    <p className={`tip-notice ${notice.found ? 'tip-found' : 'tip-missed'}`} data-testid="tip-notice" role="status" aria-live="assertive">
      {notice.text}
    </p>
  );
}
