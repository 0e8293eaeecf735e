// Renders any chart data an engine sends: known shapes as charts, anything else as a table; never crashes.
import { Component, lazy, Suspense, type ReactNode } from 'react';
import { metricLabel, num } from '../format.js';

// The charting library is large: it loads only when a chart is shown.
const charts = () => import('./charts.js');
const LazyXY = lazy(() => charts().then((m) => ({ default: m.XY })));
const LazyCurve = lazy(() => charts().then((m) => ({ default: m.Curve })));
const LazyScatterPlot = lazy(() => charts().then((m) => ({ default: m.ScatterPlot })));

function XY(props: Parameters<typeof LazyXY>[0]) {
  return (
    <Suspense fallback={<p className="muted">Loading the chart…</p>}>
      <LazyXY {...props} />
    </Suspense>
  );
}


type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumArray2D = (v: unknown): v is number[][] =>
  Array.isArray(v) && v.length > 0 && v.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number'));

/** Shows its children, or the raw data as JSON if rendering them throws. */
class Guard extends Component<{ fallback: unknown; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (this.state.failed) return <pre className="json">{safeJson(this.props.fallback)}</pre>;
    return this.props.children;
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, null, 2)?.slice(0, 20_000) ?? String(v);
  } catch {
    return String(v);
  }
}


const TITLES: Record<string, string> = {
  roc: 'ROC curve',
  rocCurve: 'ROC curve',
  calibration: 'Calibration',
  confusionMatrix: 'Confusion matrix',
  confusion: 'Confusion between tags',
  perOutcome: 'Per outcome',
  perClass: 'Per outcome',
  perTag: 'Per tag',
  misclassified: 'Misclassified test texts',
  residuals: 'Residuals',
  absoluteError: 'Absolute error',
};
const sectionTitle = (name: string) => TITLES[name] ?? metricLabel(name);

/** A titled section for one key of a version's details. */
export function DetailSection({ name, value }: { name: string; value: unknown }) {
  return (
    <section className="detail-section" aria-label={sectionTitle(name)}>
      <h3>{sectionTitle(name)}</h3>
      <Guard fallback={value}>
        <DataView name={name} value={value} />
      </Guard>
    </section>
  );
}

/** Points that all carry these numeric keys. */
function pointsWith(value: unknown, keys: string[]): Obj[] | null {
  const pts = isObj(value) && Array.isArray(value.points) ? value.points : value;
  if (!Array.isArray(pts) || pts.length < 2) return null;
  return pts.every((p) => isObj(p) && keys.every((k) => typeof p[k] === 'number')) ? (pts as Obj[]) : null;
}

export function DataView({ name, value }: { name: string; value: unknown }): ReactNode {
  const lower = name.toLowerCase();
  const roc = lower.startsWith('roc') ? pointsWith(value, ['fpr', 'tpr']) : null;
  if (roc) {
    return (
      <>
        <XY points={roc} x="fpr" y="tpr" xLabel="False positive rate" yLabel="True positive rate" diagonal line />
        <p className="muted">The closer the curve runs to the top left corner, the better the model separates the two outcomes; the diagonal is guessing.</p>
      </>
    );
  }
  const calibration = lower.startsWith('calibration') ? pointsWith(value, ['predicted', 'observed']) : null;
  if (calibration) {
    return (
      <>
        <XY points={calibration} x="predicted" y="observed" xLabel="Predicted probability" yLabel="Observed share" diagonal line />
        <p className="muted">Points on the diagonal mean the probabilities can be taken at face value.</p>
      </>
    );
  }
  const residuals = lower.startsWith('resid') ? pointsWith(value, ['predicted', 'residual']) : null;
  if (residuals) {
    return (
      <>
        <XY points={residuals} x="predicted" y="residual" xLabel="Predicted value" yLabel="Actual − predicted" />
        <p className="muted">Errors should scatter evenly around zero, without a pattern.</p>
      </>
    );
  }
  // Confusion matrix: {labels, matrix} or a bare square grid of counts.
  if (isObj(value)) {
    const grid = value.matrix ?? value.counts ?? value.values;
    const labels = (value.labels ?? value.classes ?? value.tags ?? value.outcomes) as unknown;
    if (isNumArray2D(grid)) return <Matrix grid={grid} labels={Array.isArray(labels) ? labels.map(String) : undefined} />;
  }
  if (isNumArray2D(value)) return <Matrix grid={value} />;
  // Curves: {points: [...]} or a list of {x, y} points.
  const points = isObj(value) && Array.isArray(value.points) ? value.points : value;
  if (Array.isArray(points) && points.length >= 3 && points.every(isObj)) {
    const keys = Object.keys(points[0]).filter((k) => points.every((p) => typeof (p as Obj)[k] === 'number' || (p as Obj)[k] === null));
    if (keys.length >= 2 && keys.length === Object.keys(points[0]).length) {
      const extra = isObj(value) ? Object.entries(value).filter(([k, v]) => k !== 'points' && typeof v !== 'object') : [];
      return (
        <>
          <Suspense fallback={<p className="muted">Loading the chart…</p>}>
            {lower.includes('resid') ? <LazyScatterPlot points={points as Obj[]} keys={keys} /> : <LazyCurve points={points as Obj[]} keys={keys} />}
          </Suspense>
          {extra.length > 0 && <KeyValues value={Object.fromEntries(extra)} />}
        </>
      );
    }
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <p className="muted">Nothing to show.</p>;
    if (value.every(isObj)) return <ObjectTable rows={value as Obj[]} />;
    return <p>{value.map((v) => (typeof v === 'object' ? safeJson(v) : String(v))).join(', ')}</p>;
  }
  if (isObj(value)) {
    const entries = Object.entries(value);
    // {yes: {precision, recall…}, no: {…}}: one row per key.
    if (entries.length > 0 && entries.every(([, v]) => isObj(v) && Object.values(v).every((x) => typeof x !== 'object' || x === null))) {
      return <ObjectTable rows={entries.map(([k, v]) => ({ '': k, ...(v as Obj) }))} />;
    }
    if (entries.every(([, v]) => typeof v !== 'object' || v === null)) return <KeyValues value={value} />;
    return (
      <div className="nested">
        {entries.map(([k, v]) => (
          <div key={k}>
            <h4>{metricLabel(k)}</h4>
            <DataView name={k} value={v} />
          </div>
        ))}
      </div>
    );
  }
  return <p>{typeof value === 'number' ? num(value) : String(value)}</p>;
}

function Matrix({ grid, labels }: { grid: number[][]; labels?: string[] }) {
  const max = Math.max(1, ...grid.flat());
  return (
    <div className="table-scroll">
      <table className="matrix">
        <caption>Rows: actual outcome · columns: predicted outcome</caption>
        <thead>
          <tr>
            <th scope="col">actual \ predicted</th>
            {grid[0].map((_, j) => (
              <th scope="col" key={j}>
                {labels?.[j] ?? j}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.map((row, i) => (
            <tr key={i}>
              <th scope="row">{labels?.[i] ?? i}</th>
              {row.map((c, j) => (
                <td key={j} style={{ background: `rgba(47, 111, 143, ${(0.08 + 0.6 * (c / max)).toFixed(2)})` }} className={i === j ? 'diag' : undefined}>
                  {num(c)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function KeyValues({ value }: { value: Obj }) {
  return (
    <dl className="kv">
      {Object.entries(value).map(([k, v]) => (
        <div key={k}>
          <dt>{metricLabel(k)}</dt>
          <dd>{typeof v === 'object' && v !== null ? safeJson(v) : typeof v === 'number' ? num(v) : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ObjectTable({ rows }: { rows: Obj[] }) {
  const columns = [...new Set(rows.slice(0, 200).flatMap((r) => Object.keys(r)))];
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {metricLabel(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, 200).map((r, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{cell(r[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > 200 && <p className="muted">First 200 of {rows.length} rows.</p>}
    </div>
  );
}

export function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return num(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.join(', ');
  if (typeof v === 'object') return safeJson(v);
  return String(v);
}
