// One version in full: its Performance, facts, influence, warnings, and every chart its engine recorded.
import { api } from '../api.js';
import { DetailSection } from '../components/data-view.js';
import { ErrorText } from '../components/error-text.js';
import { InfluenceBars } from '../components/influence-bars.js';
import { PerformanceHeading, PerformanceScore } from '../components/performance.js';
import { VersionFacts } from '../components/version-card.js';
import { Link } from '../router.js';
import { useAsync } from '../use-async.js';
import type { ModelProps } from './model-page.js';

/** Charts first, in the order a reader expects them; any other key follows. */
const ORDER = ['confusionMatrix', 'confusion', 'roc', 'rocCurve', 'perClass', 'perOutcome', 'perTag', 'calibration', 'residuals', 'absoluteError', 'misclassified'];

export function VersionPage({ model, version }: ModelProps & { version: number }) {
  const v = useAsync(() => api.models.version(model.id, version), [model.id, version]);
  const details = v.data?.details ?? {};
  const keys = Object.keys(details).sort((x, y) => {
    const ix = ORDER.indexOf(x);
    const iy = ORDER.indexOf(y);
    return (ix < 0 ? 99 : ix) - (iy < 0 ? 99 : iy);
  });
  return (
    <div>
      <p>
        <Link href={`/models/${model.id}`}>Back to the details</Link> · <Link href={`/models/${model.id}/history`}>History</Link>
      </p>
      <ErrorText error={v.error} />
      {v.data && (
        <>
          <div className="two-columns">
            <section className="panel" aria-labelledby="version-heading">
              <h2 id="version-heading">Version {v.data.version}</h2>
              <PerformanceHeading version={v.data} />
              <PerformanceScore version={v.data} />
              <VersionFacts version={v.data} />
            </section>
            <section className="panel" aria-labelledby="influence-heading">
              <h2 id="influence-heading">Most influential columns</h2>
              <InfluenceBars influence={v.data.influence} />
              {v.data.warnings.length > 0 && (
                <>
                  <h3>Warnings</h3>
                  <ul className="messages warnings">
                    {v.data.warnings.map((w, i) => (
                      <li key={i}>{w.message}</li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          </div>
          <section className="panel" aria-labelledby="charts-heading">
            <h2 id="charts-heading">Details</h2>
            {keys.length === 0 && <p className="muted">This version recorded no chart data.</p>}
            <div className="details-grid">
              {keys.map((k) => (
                <DetailSection key={k} name={k} value={details[k]} />
              ))}
            </div>
          </section>
        </>
      )}
    </div>
  );
}
