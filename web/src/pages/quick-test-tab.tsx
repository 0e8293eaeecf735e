// Quick test: one typed field per input column (or a text box), run on the chosen version.
import { useState, type FormEvent } from 'react';
import { api, type InputField, type QuickTestData, type Slot } from '../api.js';
import { DataView } from '../components/data-view.js';
import { ErrorText } from '../components/error-text.js';
import { percent, readable } from '../format.js';
import { useAsync } from '../use-async.js';
import type { ModelProps } from './model-page.js';

export function QuickTestTab({ model }: ModelProps) {
  const slots = (['published', 'lastTrained'] as Slot[]).filter((s) => model[s]);
  const [slot, setSlot] = useState<Slot | undefined>(slots[0]);
  const inputs = useAsync(() => (slot ? api.models.inputs(model.id, slot) : Promise.resolve([])), [model.id, slot]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<QuickTestData | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  if (!slot) {
    return (
      <section className="panel">
        <h2>Quick test</h2>
        <p className="muted">Quick test needs a trained version. Train the model first.</p>
      </section>
    );
  }
  const fields = inputs.data ?? [];
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const input: Record<string, unknown> = {};
      for (const f of fields) {
        const v = values[f.name];
        if (v === undefined || v === '') continue;
        input[f.name] = f.type === 'number' ? Number(v) : f.type === 'boolean' ? v === 'true' : v;
      }
      setResult(await api.models.quickTest(model.id, slot, input));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const isText = model.type === 'text-classification';
  return (
    <div className="two-columns">
      <section className="panel" aria-labelledby="quick-test-heading">
        <h2 id="quick-test-heading">Quick test</h2>
        {slots.length > 1 && (
          <fieldset className="inline-choices">
            <legend>Version to test</legend>
            {slots.map((s) => (
              <label key={s}>
                <input type="radio" name="slot" checked={slot === s} onChange={() => { setSlot(s); setResult(null); }} />
                {s === 'published' ? 'Published version' : 'Last trained version'} (version {model[s]?.version})
              </label>
            ))}
          </fieldset>
        )}
        {slots.length === 1 && (
          <p className="muted">
            Testing the {slot === 'published' ? 'Published version' : 'Last trained version'} (version {model[slot]?.version}).
          </p>
        )}
        <ErrorText error={inputs.error} />
        <form onSubmit={submit} className="form">
          {fields.map((f) => (
            <Field key={f.name} field={f} value={values[f.name] ?? ''} isText={isText} onChange={(v) => setValues({ ...values, [f.name]: v })} />
          ))}
          <ErrorText error={error} />
          <div className="buttons">
            <button type="submit" className="primary" disabled={busy || inputs.loading}>
              Test
            </button>
          </div>
        </form>
      </section>
      <section className="panel" aria-labelledby="result-heading" aria-live="polite">
        <h2 id="result-heading">Result</h2>
        {!result && <p className="muted">{isText ? 'Type or paste a text and select Test.' : 'Fill in the fields you know and select Test. Empty fields count as missing.'}</p>}
        {result && <QuickTestResultView result={result} />}
      </section>
    </div>
  );
}

function Field({ field, value, isText, onChange }: { field: InputField; value: string; isText: boolean; onChange: (v: string) => void }) {
  const label = isText && field.type === 'text' ? 'Text' : field.name;
  if (field.choices && field.choices.length > 0) {
    return (
      <label>
        {label}
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">(missing)</option>
          {field.choices.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
    );
  }
  if (field.type === 'boolean') {
    return (
      <label>
        {label}
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">(missing)</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      </label>
    );
  }
  if (field.type === 'text') {
    return (
      <label>
        {label}
        <textarea value={value} rows={isText ? 6 : 2} onChange={(e) => onChange(e.target.value)} />
      </label>
    );
  }
  return (
    <label>
      <span>
        {label} <span className="muted">({field.type})</span>
      </span>
      <input type={field.type === 'number' ? 'number' : field.type === 'date' ? 'date' : 'text'} step="any" value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

type Obj = Record<string, unknown>;

function QuickTestResultView({ result }: { result: QuickTestData }) {
  const r = result.result as Obj;
  const prediction = r.prediction ?? r.outcome ?? r.value ?? r.topTag;
  const probability = typeof r.probability === 'number' ? r.probability : typeof r.confidence === 'number' ? r.confidence : null;
  const tags = Array.isArray(r.tags) ? (r.tags as Obj[]) : null;
  const explanation = Array.isArray(r.explanation) ? (r.explanation as Obj[]) : null;
  const interval = r.interval as { low?: unknown; high?: unknown; level?: unknown } | undefined;
  const probabilities = r.probabilities && typeof r.probabilities === 'object' && !Array.isArray(r.probabilities) ? (r.probabilities as Obj) : null;
  const shown = new Set(['prediction', 'outcome', 'value', 'topTag', 'probability', 'confidence', 'tags', 'explanation', 'probabilities', 'interval']);
  const rest = Object.fromEntries(Object.entries(r).filter(([k]) => !shown.has(k)));
  return (
    <div className="result">
      <p className="muted">Version {result.version}</p>
      {prediction !== undefined && (
        <p className="prediction">
          {tags ? 'Top tag' : 'Prediction'}: <strong>{typeof prediction === 'number' ? readable(prediction) : String(prediction)}</strong>
          {probability !== null && <span> · {tags ? 'confidence' : 'probability'} {percent(probability)}</span>}
        </p>
      )}
      {tags && (
        <table aria-label="Tags">
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Confidence</th>
              <th scope="col">Assigned</th>
            </tr>
          </thead>
          <tbody>
            {[...tags]
              .sort((a, b) => Number(b.confidence ?? 0) - Number(a.confidence ?? 0))
              .map((t, i) => (
                <tr key={i} className={t.assigned || Number(t.confidence) >= 0.5 ? 'current' : undefined}>
                  <td>{String(t.tag ?? t.name ?? i)}</td>
                  <td>{percent(Number(t.confidence))}</td>
                  <td>{t.assigned === undefined ? (Number(t.confidence) >= 0.5 ? 'yes' : 'no') : t.assigned ? 'yes' : 'no'}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {interval && typeof interval.low === 'number' && typeof interval.high === 'number' && (
        <p>
          Likely between <strong>{readable(interval.low)}</strong> and <strong>{readable(interval.high)}</strong>
          {typeof interval.level === 'number' && ` (a ${percent(interval.level, 0)} prediction interval)`}.
        </p>
      )}
      {probabilities && (
        <table aria-label="Probability of each outcome">
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col">Probability</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(probabilities)
              .sort((a, b) => Number(b[1]) - Number(a[1]))
              .map(([k, v]) => (
                <tr key={k} className={k === String(prediction) ? 'current' : undefined}>
                  <td>{k}</td>
                  <td>{percent(Number(v))}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {explanation && explanation.length > 0 && (
        <>
          <h3>Why</h3>
          <ul className="explanation">
            {explanation.slice(0, 8).map((x, i) => {
              const effect = Number(x.effect ?? x.contribution ?? x.weight ?? 0);
              const up = x.direction ? String(x.direction) : effect >= 0 ? 'up' : 'down';
              return (
                <li key={i}>
                  <strong>{String(x.column ?? x.feature ?? x.term ?? i)}</strong>
                  {x.value !== undefined && <span> = {String(x.value)}</span>}
                  <span className={up.startsWith('up') || up === 'increases' ? 'up' : 'down'}> pushed {up}</span>
                  {Number.isFinite(effect) && effect !== 0 && <span className="muted"> ({effect.toFixed(3)})</span>}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {Object.keys(rest).length > 0 && <DataView name="result" value={rest} />}
    </div>
  );
}
