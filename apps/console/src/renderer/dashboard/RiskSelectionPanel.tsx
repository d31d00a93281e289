/**
 * Risk-based selection: the find rate of searches the manifest's risk rules chose against those
 * picked at random (the control group), each with its interval drawn on one scale.
 */
import { useEffect, useMemo } from 'react';
import { useController } from '../controller-context.ts';
import { useT } from './i18n.ts';
import { selectionPanel } from './risk-selection-model.ts';
import { useRiskReport } from './risk-store.ts';

export function RiskSelectionPanel() {
  const t = useT();
  const controller = useController();
  const state = useRiskReport((s) => s.report);
  const data = state?.data ?? null;
  useEffect(() => {
    controller.dashboard.loadRiskReport();
  }, [controller]);
  const model = useMemo(() => (data ? selectionPanel(data) : null), [data]);
  return (
    <section className="dash-panel" aria-labelledby="risk-title" data-testid="risk-selection">
      <h2 id="risk-title">{t('risk.title')}</h2>
      {state?.phase === 'failed' && <p className="dash-empty">{t('risk.failed', { error: state.error ?? '' })}</p>}
      {!model ? (
        <p className="dash-empty">{t('risk.loading')}</p>
      ) : (
        <>
          <p className="dash-note">{t('risk.period', { days: model.periodDays, rate: model.randomSelectionRate })}</p>
          <ul className="risk-rows">
            {model.rows.map((r) => (
              <li key={r.group} data-testid={`risk-${r.group}`}>
                <div className="risk-label">
                  <strong>{t(r.group === 'risk' ? 'risk.group.risk' : 'risk.group.random')}</strong>{' '}
                  <span>{t('risk.finds', { finds: r.finds, searches: r.searches })}</span>
                </div>
                <div className="risk-scale" aria-hidden="true">
                  {r.bar.mark !== null && (
                    <>
                      <span className={`risk-interval risk-${r.group}`} style={{ left: `${r.bar.left}%`, width: `${r.bar.width}%` }} />
                      <span className="risk-mark" style={{ left: `${r.bar.mark}%` }} />
                    </>
                  )}
                </div>
                <div className="dash-note" data-testid={`risk-${r.group}-rate`}>
                  {r.rate === null ? t('risk.noSearches') : t('risk.rate', { rate: r.rate, confidence: model.confidence, low: r.low, high: r.high })}
                </div>
              </li>
            ))}
          </ul>
          <p className="dash-note risk-axis">{t('risk.axis', { end: model.scaleEnd })}</p>
          <p data-testid="risk-difference">
            {model.difference === null
              ? t('risk.needBoth')
              : t(model.difference.verdict === 'higher' ? 'risk.higher' : model.difference.verdict === 'lower' ? 'risk.lower' : 'risk.unclear', {
                  diff: model.difference.diff, low: model.difference.low, high: model.difference.high,
                })}
          </p>
          {model.open > 0 && <p className="dash-note">{t('risk.open', { count: model.open })}</p>}
        </>
      )}
      <button type="button" className="link-button" data-testid="risk-refresh" onClick={() => controller.dashboard.loadRiskReport()}>
        {t('risk.refresh')}
      </button>
    </section>
  );
}
