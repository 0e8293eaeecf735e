// History: every trained version, the model's events, comparison of any two versions, Roll back.
import { useState } from 'react';
import { api, type ComparisonData } from '../api.js';
import { ActionButton } from '../components/action-button.js';
import { cell } from '../components/data-view.js';
import { ErrorText } from '../components/error-text.js';
import { formatDate, metricLabel, num, percent, scoreText } from '../format.js';
import { Link } from '../router.js';
import { useAsync } from '../use-async.js';
import type { ModelProps } from './model-page.js';

const STATUS: Record<string, string> = {
  published: 'Published version',
  lastTrained: 'Last trained version',
  retained: 'Previously published (can roll back)',
  replaced: 'Replaced',
  unpublished: 'Unpublished',
};

export function HistoryTab({ model, setModel }: ModelProps) {
  const history = useAsync(() => api.models.history(model.id), [model.id, model.updatedAt]);
  const versions = [...(history.data?.versions ?? [])].sort((x, y) => y.version - x.version);
  const [a, setA] = useState<number | null>(null);
  const [b, setB] = useState<number | null>(null);
  const [comparison, setComparison] = useState<ComparisonData | null>(null);
  const [compareError, setCompareError] = useState<unknown>(undefined);
  const [rollbackError, setRollbackError] = useState<unknown>(undefined);
  const pickA = a ?? versions[1]?.version ?? null;
  const pickB = b ?? versions[0]?.version ?? null;

  async function compare() {
    if (pickA === null || pickB === null) return;
    setCompareError(undefined);
    try {
      setComparison(await api.models.compare(model.id, pickA, pickB));
    } catch (e) {
      setCompareError(e);
    }
  }

  return (
    <div>
      <section className="panel" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <ErrorText error={history.error} />
        {history.data && versions.length === 0 && <p className="muted">No trained version yet.</p>}
        {versions.length > 0 && (
          <div className="table-scroll">
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Status</th>
                  <th scope="col">Grade / score</th>
                  <th scope="col">Trained</th>
                  <th scope="col">Data</th>
                  <th scope="col">Configuration</th>
                  <th scope="col">Roll back</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version}>
                    <td>
                      <Link href={`/models/${model.id}/versions/${v.version}`}>Version {v.version}</Link>
                      {v.kind === 'retrain' && <span className="muted"> (retrain{v.basedOn ? ` of ${v.basedOn}` : ''})</span>}
                    </td>
                    <td>{STATUS[v.status] ?? v.status}</td>
                    <td className="center">
                      {scoreText(v)}
                      {typeof v.score.value === 'number' && v.score.kind === 'grade' && <span className="muted"> ({percent(v.score.value)})</span>}
                    </td>
                    <td>{formatDate(v.trainedAt)}</td>
                    <td>
                      {v.table.name} rev. {v.table.revision} · {num(v.table.rowCount)} rows
                    </td>
                    <td className="config-cell">{configSummary(v.configuration)}</td>
                    <td>
                      {model.rollbackVersions.includes(v.version) && (
                        <ActionButton
                          permission={model.actions.rollback}
                          onError={setRollbackError}
                          onClick={async () => {
                            setModel(await api.models.rollback(model.id, v.version));
                            await history.reload();
                          }}
                        >
                          Roll back to version {v.version}
                        </ActionButton>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ErrorText error={rollbackError} />
      </section>
      {versions.length >= 2 && (
        <section className="panel" aria-labelledby="compare-heading">
          <h2 id="compare-heading">Compare versions</h2>
          <div className="toolbar">
            <VersionSelect label="Version A" value={pickA} versions={versions} onChange={setA} />
            <VersionSelect label="Version B" value={pickB} versions={versions} onChange={setB} />
            <button type="button" className="primary" onClick={() => void compare()}>
              Compare
            </button>
          </div>
          <ErrorText error={compareError} />
          {comparison && <ComparisonView c={comparison} />}
        </section>
      )}
      <section className="panel" aria-labelledby="events-heading">
        <h2 id="events-heading">Events</h2>
        <ul className="events">
          {[...(history.data?.events ?? [])].reverse().map((e, i) => (
            <li key={i}>
              <span className="muted">{formatDate(e.at)}</span> {e.message}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** Metrics where a smaller value is the better one (errors and losses). */
const LOWER_IS_BETTER = new Set(['logLoss', 'rmse', 'mae', 'brier', 'hammingLoss']);

function configSummary(c: Record<string, unknown>): string {
  const parts = ['target', 'textColumn', 'tagColumn']
    .filter((k) => c[k] !== undefined)
    .map((k) => `${k}: ${String(c[k])}`);
  if (Array.isArray(c.features)) parts.push(`${c.features.length} input columns`);
  if (c.filter) parts.push('filtered');
  return parts.join(' · ') || '—';
}

function ComparisonView({ c }: { c: ComparisonData }) {
  const d = c.data;
  return (
    <div className="comparison">
      <h3>
        Version {c.a.version} and version {c.b.version}
      </h3>
      <h4>Data</h4>
      <p>
        {d.sameTable ? 'Same table' : 'Different tables'}, revisions {d.revisions[0]} and {d.revisions[1]}:{' '}
        {d.rowsAdded === null ? 'rows added unknown' : `${num(d.rowsAdded)} rows added`},{' '}
        {d.rowsRemoved === null ? 'rows removed unknown' : `${num(d.rowsRemoved)} rows removed`}.
        {d.note && <span className="muted"> {d.note}</span>}
      </p>
      <h4>Configuration</h4>
      {c.configuration.length === 0 ? (
        <p>The configurations are the same.</p>
      ) : (
        <table aria-label="Configuration differences">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Version {c.a.version}</th>
              <th scope="col">Version {c.b.version}</th>
            </tr>
          </thead>
          <tbody>
            {c.configuration.map((x) => (
              <tr key={x.path}>
                <th scope="row">{x.path}</th>
                <td>{x.a === undefined || x.a === null ? '(not set)' : cell(x.a)}</td>
                <td>{x.b === undefined || x.b === null ? '(not set)' : cell(x.b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>Metrics</h4>
      <table aria-label="Metric differences">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Version {c.a.version}</th>
            <th scope="col">Version {c.b.version}</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {c.metrics.map((m) => (
            <tr key={m.metric}>
              <th scope="row">{metricLabel(m.metric)}</th>
              <td>{num(m.a)}</td>
              <td>{num(m.b)}</td>
              <td className={m.delta === null || m.delta === 0 ? undefined : m.delta > 0 === !LOWER_IS_BETTER.has(m.metric) ? 'up' : 'down'}>
                {m.delta === null ? '—' : `${m.delta > 0 ? '+' : ''}${num(m.delta)}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A labelled choice of one trained version. */
function VersionSelect(props: { label: string; value: number | undefined | null; versions: { version: number }[]; onChange: (v: number) => void }) {
  return (
    <label>
      {props.label}
      <select value={props.value ?? ''} onChange={(e) => props.onChange(Number(e.target.value))}>
        {props.versions.map((v) => (
          <option key={v.version} value={v.version}>
            Version {v.version}
          </option>
        ))}
      </select>
    </label>
  );
}
