// Import a CSV file as a new table: preview of the first rows with changeable inferred types, upload progress.
import { useState } from 'react';
import { api, COLUMN_TYPES, type ColumnType, type TableInfo, type TablePreview } from '../api.js';
import { cell } from './data-view.js';
import { ErrorText } from './error-text.js';
import { ProgressBar } from './progress-bar.js';

/** Sends at most this many bytes for the preview: enough for the first rows, light for big files. */
const PREVIEW_BYTES = 256 * 1024;

export function ImportTable({ onImported }: { onImported: (table: TableInfo) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [preview, setPreview] = useState<TablePreview | null>(null);
  const [types, setTypes] = useState<Record<string, ColumnType>>({});
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  async function choose(f: File | null) {
    setFile(f);
    setPreview(null);
    setError(undefined);
    setTypes({});
    if (!f) return;
    if (!name) setName(f.name.replace(/\.[^.]+$/, ''));
    try {
      // Cut at the last line break so the preview never sees a half row.
      let head = f.size > PREVIEW_BYTES ? await f.slice(0, PREVIEW_BYTES).text() : await f.text();
      if (f.size > PREVIEW_BYTES) head = head.slice(0, head.lastIndexOf('\n') + 1);
      const p = await api.tables.preview(new Blob([head], { type: 'text/csv' }));
      setPreview(p);
      setTypes(Object.fromEntries(p.columns.map((c) => [c.name, c.type])));
    } catch (e) {
      setError(e);
    }
  }

  async function importFile() {
    if (!file) return;
    setError(undefined);
    setProgress(0);
    try {
      const changed = Object.fromEntries(
        (preview?.columns ?? []).filter((c) => types[c.name] && types[c.name] !== c.type).map((c) => [c.name, types[c.name]]),
      );
      const table = await api.tables.import(file, name.trim() || file.name, changed, setProgress);
      setProgress(null);
      setFile(null);
      setPreview(null);
      setName('');
      onImported(table);
    } catch (e) {
      setProgress(null);
      setError(e);
    }
  }

  const rows = (preview?.rows ?? []).slice(0, 10);
  return (
    <section className="panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import a table</h2>
      <div className="form-row">
        <label>
          CSV file
          <input type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0] ?? null)} />
        </label>
        <label>
          Table name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </label>
      </div>
      {preview && (
        <>
          <p className="muted">
            First rows of {file?.name}. Lathe guessed each column’s type; change a type if the guess is wrong.
          </p>
          <div className="table-scroll">
            <table className="preview">
              <thead>
                <tr>
                  {preview.columns.map((c) => (
                    <th scope="col" key={c.name}>
                      <div>{c.name}</div>
                      <select
                        aria-label={`Type of ${c.name}`}
                        value={types[c.name] ?? c.type}
                        onChange={(e) => setTypes({ ...types, [c.name]: e.target.value as ColumnType })}
                      >
                        {COLUMN_TYPES.map((t) => (
                          <option key={t}>{t}</option>
                        ))}
                      </select>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    {preview.columns.map((c, j) => (
                      <td key={c.name}>{cell(r[j])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {progress !== null && <ProgressBar value={progress} label="Import progress" />}
      <ErrorText error={error} />
      <div className="buttons">
        <button type="button" className="primary" disabled={!file || progress !== null} onClick={() => void importFile()}>
          Import
        </button>
      </div>
    </section>
  );
}
