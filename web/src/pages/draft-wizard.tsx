// The Create model wizard over a model's draft: one step per choice, each step saving the draft.
import { useEffect, useRef, useState } from 'react';
import { api, type Configuration, type Model, type TableInfo } from '../api.js';
import { ActionButton } from '../components/action-button.js';
import { ErrorText } from '../components/error-text.js';
import { cleanFilter, FilterEditor, filterText, type Filter } from '../components/filter-editor.js';
import { ImportTable } from '../components/import-table.js';
import { Link, navigate, useLocation } from '../router.js';
import { useAsync } from '../use-async.js';
import type { ModelProps } from './model-page.js';

type Msg = { code: string; message: string; column?: string };

const PREDICTION_STEPS = ['Choose a table', 'Choose the outcome', 'Choose input columns', 'Filter rows', 'Review and train'];
const TEXT_STEPS = ['Choose a table', 'Choose text and tags', 'Review and train'];

/** Where a resumed draft opens: the first step whose choice is still missing. */
function firstOpenStep(model: Model, c: Configuration): number {
  if (!c.tableId) return 0;
  if (model.type === 'prediction') return c.target ? 2 : 1;
  return c.textColumn && c.tagColumn ? 2 : 1;
}

export function DraftWizard({ model, setModel }: ModelProps) {
  const { query } = useLocation();
  const draft = model.draft;
  const [config, setConfig] = useState<Configuration>(() => draft?.configuration ?? {});
  const steps = model.type === 'prediction' ? PREDICTION_STEPS : TEXT_STEPS;
  const fromUrl = Number(query.get('step'));
  const [step, setStepState] = useState(() =>
    Number.isInteger(fromUrl) && fromUrl > 0 && fromUrl <= steps.length ? fromUrl - 1 : firstOpenStep(model, draft?.configuration ?? {}),
  );
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const tables = useAsync(() => api.tables.list(), []);
  const tableId = typeof config.tableId === 'string' ? config.tableId : '';
  const table = useAsync(() => (tableId ? api.tables.get(tableId) : Promise.resolve(null)), [tableId]);
  // Saves run one after another so an older configuration can never overwrite a newer one.
  const queue = useRef<Promise<void>>(Promise.resolve());

  // The step is kept in the address so a reload stays on it (only once a draft is shown).
  const hasDraft = draft !== null;
  useEffect(() => {
    if (hasDraft) window.history.replaceState(null, '', `/models/${model.id}/draft?step=${step + 1}`);
  }, [model.id, step, hasDraft]);

  if (!draft) {
    return (
      <div className="panel">
        <h2>No draft</h2>
        <p>
          This model has no draft to edit. <Link href={`/models/${model.id}`}>Back to the details</Link>.
        </p>
      </div>
    );
  }

  function save(next: Configuration): Promise<void> {
    setConfig(next);
    queue.current = queue.current.then(async () => {
      try {
        const m = await api.models.saveDraft(model.id, next);
        setModel(m);
        setSaveError(undefined);
        setSavedAt(new Date().toLocaleTimeString());
      } catch (e) {
        setSaveError(e);
      }
    });
    return queue.current;
  }
  const update = (patch: Configuration) => {
    const next = { ...config, ...patch };
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete next[k];
    void save(next);
  };
  async function go(to: number) {
    const next = { ...config };
    if (next.filter !== undefined) next.filter = cleanFilter(next.filter as Filter);
    if (next.filter === undefined) delete next.filter;
    await save(next);
    setStepState(to);
  }

  const validation = model.draft?.validation ?? { errors: [], warnings: [] };
  const columns = table.data?.columns ?? [];
  const canNext = step === 0 ? !!tableId : step === 1 ? (model.type === 'prediction' ? !!config.target : !!config.textColumn && !!config.tagColumn) : true;
  const last = step === steps.length - 1;

  return (
    <div className="wizard">
      {model.actions.editDraft && !model.actions.editDraft.allowed && (
        <div className="banner warning" role="status">
          {model.actions.editDraft.reason ?? 'The draft cannot be changed now.'}
        </div>
      )}
      <ol className="steps" aria-label="Steps">
        {steps.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : undefined}>
            {i < step ? (
              <button type="button" className="step-link" onClick={() => void go(i)}>
                <span className="step-number">{i + 1}</span> {s}
              </button>
            ) : (
              <>
                <span className="step-number">{i + 1}</span> {s}
              </>
            )}
          </li>
        ))}
      </ol>
      <section className="panel" aria-labelledby="step-heading">
        <h2 id="step-heading">{steps[step]}</h2>
        {step === 0 && (
          <TableStep tables={tables.data ?? []} error={tables.error} selected={tableId} onSelect={(id) => update({ tableId: id })} onImported={(t) => {
            void tables.reload();
            update({ tableId: t.id });
          }} />
        )}
        {step > 0 && <ErrorText error={table.error} />}
        {step === 1 && model.type === 'prediction' && <OutcomeStep config={config} columns={columns} update={update} />}
        {step === 2 && model.type === 'prediction' && (
          <InputsStep config={config} columns={columns} messages={[...validation.errors, ...validation.warnings]} update={update} />
        )}
        {step === 3 && model.type === 'prediction' && (
          <>
            <p className="muted">Optional: train only on the rows that match. Rows matching the filter with an empty outcome are the rows to predict.</p>
            <FilterEditor
              filter={config.filter as Filter | undefined}
              columns={columns}
              onChange={(f) => {
                // The editor keeps half-filled rows on screen; the draft gets only the complete ones.
                setConfig({ ...config, filter: f });
                const next = { ...config, filter: cleanFilter(f) };
                if (next.filter === undefined) delete next.filter;
                void save(next).then(() => setConfig({ ...next, filter: f }));
              }}
            />
          </>
        )}
        {step === 1 && model.type === 'text-classification' && <TextStep config={config} columns={columns} update={update} />}
        {last && <ReviewStep model={model} config={config} table={table.data ?? null} update={update} errors={validation.errors} warnings={validation.warnings} />}
        <ErrorText error={saveError} />
        <p className="muted save-state" role="status">
          {savedAt ? `Draft saved at ${savedAt}.` : 'Every step saves the draft: you can leave and resume it later.'}
        </p>
        <div className="buttons wizard-buttons">
          {step > 0 && (
            <button type="button" onClick={() => void go(step - 1)}>
              Back
            </button>
          )}
          {!last && (
            <button type="button" className="primary" disabled={!canNext} onClick={() => void go(step + 1)}>
              Next
            </button>
          )}
          {last && (
            <ActionButton
              primary
              permission={validation.errors.length > 0 ? { allowed: false, reason: 'Fix the errors above before training.' } : model.actions.train}
              onClick={async () => {
                await queue.current;
                await api.models.train(model.id);
                navigate(`/models/${model.id}/training`);
              }}
            >
              Train
            </ActionButton>
          )}
          <Link href={`/models/${model.id}`} className="button subtle">
            Save and close
          </Link>
        </div>
      </section>
    </div>
  );
}

function TableStep(props: {
  tables: TableInfo[];
  error: unknown;
  selected: string;
  onSelect: (id: string) => void;
  onImported: (t: TableInfo) => void;
}) {
  const [importing, setImporting] = useState(false);
  return (
    <>
      <ErrorText error={props.error} />
      <fieldset>
        <legend>Table to learn from</legend>
        {props.tables.length === 0 && <p className="muted">No tables yet: import one.</p>}
        <div className="choice-list">
          {props.tables.map((t) => (
            <label key={t.id} className={`choice-row ${props.selected === t.id ? 'selected' : ''}`}>
              <input type="radio" name="table" value={t.id} checked={props.selected === t.id} onChange={() => props.onSelect(t.id)} />
              <strong>{t.name}</strong>
              <span className="muted">
                {t.rowCount?.toLocaleString() ?? '?'} rows · {t.columns?.length ?? '?'} columns
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {importing ? (
        <ImportTable
          onImported={(t) => {
            setImporting(false);
            props.onImported(t);
          }}
        />
      ) : (
        <button type="button" onClick={() => setImporting(true)}>
          Import a table
        </button>
      )}
    </>
  );
}

type StepProps = { config: Configuration; columns: { name: string; type: string }[]; update: (patch: Configuration) => void };

function OutcomeStep({ config, columns, update }: StepProps) {
  return (
    <div className="form">
      <label>
        Outcome column (what the model predicts)
        <select value={String(config.target ?? '')} onChange={(e) => update({ target: e.target.value || undefined, positive: undefined })}>
          <option value="">Choose a column…</option>
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.type})
            </option>
          ))}
        </select>
      </label>
      <label>
        Kind of outcome
        <select value={String(config.kind ?? '')} onChange={(e) => update({ kind: e.target.value || undefined })}>
          <option value="">Decide from the column (two values: yes/no; more text values: multiple outcome; numbers: numerical)</option>
          <option value="binary">Yes/no (binary)</option>
          <option value="multiclass">Multiple outcome</option>
          <option value="numerical">Numerical</option>
        </select>
      </label>
      <label>
        Positive outcome (optional, for yes/no outcomes)
        <input value={String(config.positive ?? '')} onChange={(e) => update({ positive: e.target.value || undefined })} placeholder="e.g. yes, 1, true" />
      </label>
    </div>
  );
}

function InputsStep({ config, columns, messages, update }: StepProps & { messages: Msg[] }) {
  const candidates = columns.filter((c) => c.name !== config.target && c.name !== config.splitColumn);
  const features = Array.isArray(config.features) ? (config.features as string[]) : candidates.map((c) => c.name);
  const forced = Array.isArray(config.forceInclude) ? (config.forceInclude as string[]) : [];
  const setFeatures = (list: string[]) => update({ features: list.length === candidates.length ? undefined : list });
  return (
    <>
      <p className="muted">Every usable column is selected. Columns Lathe will not use are shown with the reason.</p>
      <div className="buttons">
        <button type="button" onClick={() => setFeatures(candidates.map((c) => c.name))}>
          Select all
        </button>
        <button type="button" onClick={() => setFeatures([])}>
          Clear
        </button>
      </div>
      <fieldset>
        <legend>Input columns</legend>
        <ul className="column-list">
          {candidates.map((c) => {
            const notes = messages.filter((m) => m.column === c.name);
            const excludable = notes.some((m) => /LEAK|IDENTIFIER/i.test(m.code));
            // A code column is used through what its values share; forcing it uses the values themselves.
            const code = notes.some((m) => /COLUMN_CODE/i.test(m.code));
            // Columns the data checks leave out (unless the user forces them back in).
            const dropped = notes.some((m) => /SINGLE_VALUE|MOSTLY_MISSING/i.test(m.code)) || (excludable && !forced.includes(c.name));
            return (
              <li key={c.name}>
                <label>
                  <input
                    type="checkbox"
                    checked={features.includes(c.name)}
                    onChange={(e) => setFeatures(e.target.checked ? [...features, c.name] : features.filter((f) => f !== c.name))}
                  />
                  {c.name} <span className="muted">({c.type})</span>
                </label>
                {dropped && features.includes(c.name) && <span className="badge">Not used</span>}
                {notes.map((n, i) => (
                  <span key={i} className="column-note">
                    {n.message}
                  </span>
                ))}
                {(excludable || code || forced.includes(c.name)) && (
                  <label className="force">
                    <input
                      type="checkbox"
                      checked={forced.includes(c.name)}
                      onChange={(e) =>
                        update({ forceInclude: e.target.checked ? [...forced, c.name] : forced.filter((f) => f !== c.name).length ? forced.filter((f) => f !== c.name) : undefined })
                      }
                    />
                    {code ? 'Use its values as categories' : 'Use it anyway'}
                  </label>
                )}
              </li>
            );
          })}
        </ul>
      </fieldset>
    </>
  );
}

const SEPARATORS = [
  { value: '', label: 'Detect automatically' },
  { value: ',', label: 'Comma (,)' },
  { value: ';', label: 'Semicolon (;)' },
  { value: '\t', label: 'Tab' },
  { value: 'none', label: 'No separator (one tag per row)' },
];

/** A labelled choice of one of the table's columns (empty = none chosen yet). */
function ColumnSelect(props: { label: string; value: unknown; columns: StepProps['columns']; onChange: (v: string | undefined) => void }) {
  return (
    <label>
      {props.label}
      <select value={String(props.value ?? '')} onChange={(e) => props.onChange(e.target.value || undefined)}>
        <option value="">Choose a column…</option>
        {props.columns.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.type})
          </option>
        ))}
      </select>
    </label>
  );
}

function TextStep({ config, columns, update }: StepProps) {
  return (
    <div className="form">
      <ColumnSelect label="Text column" value={config.textColumn} columns={columns} onChange={(v) => update({ textColumn: v })} />
      <ColumnSelect label="Tags column" value={config.tagColumn} columns={columns} onChange={(v) => update({ tagColumn: v })} />
      <label>
        Separator between tags
        <select value={String(config.separator ?? '')} onChange={(e) => update({ separator: e.target.value || undefined })}>
          {SEPARATORS.map((s) => (
            <option key={s.label} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** Sets the split column; it can never be an input column too, so it leaves a chosen input list. */
function withSplit(config: Configuration, column: string): Configuration {
  const patch: Configuration = { splitColumn: column || undefined };
  if (Array.isArray(config.features) && column) patch.features = (config.features as string[]).filter((f) => f !== column);
  return patch;
}

function ReviewStep({
  model,
  config,
  table,
  update,
  errors,
  warnings,
}: {
  model: Model;
  config: Configuration;
  table: TableInfo | null;
  update: (patch: Configuration) => void;
  errors: Msg[];
  warnings: Msg[];
}) {
  const features = Array.isArray(config.features) ? (config.features as string[]) : null;
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Table</dt>
          <dd>{table ? `${table.name} (${table.rowCount?.toLocaleString() ?? '?'} rows)` : String(config.tableId ?? '—')}</dd>
        </div>
        {model.type === 'prediction' ? (
          <>
            <div>
              <dt>Outcome</dt>
              <dd>{String(config.target ?? '—')}</dd>
            </div>
            <div>
              <dt>Input columns</dt>
              <dd>{features ? features.join(', ') || 'none' : 'every usable column'}</dd>
            </div>
            <div>
              <dt>Filter</dt>
              <dd>{config.filter ? filterText(config.filter as Filter) : 'none: every row'}</dd>
            </div>
          </>
        ) : (
          <>
            <div>
              <dt>Text</dt>
              <dd>{String(config.textColumn ?? '—')}</dd>
            </div>
            <div>
              <dt>Tags</dt>
              <dd>{String(config.tagColumn ?? '—')}</dd>
            </div>
          </>
        )}
      </dl>
      {model.type === 'text-classification' && (
        <div className="form">
          <label>
            Language
            <select value={String(config.language ?? '')} onChange={(e) => update({ language: e.target.value || undefined })}>
              <option value="">Any language (detect)</option>
              <option value="en">English</option>
              <option value="fr">French</option>
              <option value="de">German</option>
              <option value="es">Spanish</option>
              <option value="it">Italian</option>
              <option value="pt">Portuguese</option>
            </select>
          </label>
          <label className="inline">
            <input type="checkbox" checked={config.allowTruncation === true} onChange={(e) => update({ allowTruncation: e.target.checked || undefined })} />
            Cut texts longer than 5,000 characters instead of refusing them
          </label>
        </div>
      )}
      <div className="form">
        <label>
          Test rows (held out to measure performance)
          <select value={String(config.splitColumn ?? '')} onChange={(e) => update(withSplit(config, e.target.value))}>
            <option value="">Chosen by Lathe: a fixed, balanced part of the rows</option>
            {(table?.columns ?? [])
              .filter((c) => c.type === 'category' || c.type === 'text')
              .map((c) => (
                <option key={c.name} value={c.name}>
                  Marked in the column “{c.name}” (values train / test)
                </option>
              ))}
          </select>
        </label>
      </div>
      <h3>Data checks</h3>
      {errors.length === 0 && warnings.length === 0 && <p className="ok">No problem found.</p>}
      {errors.length > 0 && <p className="muted">Errors block training until they are fixed:</p>}
      {errors.length > 0 && (
        <ul className="messages errors" aria-label="Errors">
          {errors.map((m, i) => (
            <li key={i}>{m.message}</li>
          ))}
        </ul>
      )}
      {warnings.length > 0 && <p className="muted">Warnings do not block training; they explain what Lathe will do:</p>}
      {warnings.length > 0 && (
        <ul className="messages warnings" aria-label="Warnings">
          {warnings.map((m, i) => (
            <li key={i}>{m.message}</li>
          ))}
        </ul>
      )}
    </>
  );
}
