// One table: its columns and types (changeable), its rows page by page, append rows, revisions, delete.
import { useState } from 'react';
import { api, COLUMN_TYPES, type ColumnType } from '../api.js';
import { ErrorText } from '../components/error-text.js';
import { ProgressBar } from '../components/progress-bar.js';
import { formatDate } from '../format.js';
import { Link, navigate } from '../router.js';
import { useAsync } from '../use-async.js';

const PAGE = 25;

export function TablePage({ tableId }: { tableId: string }) {
  const table = useAsync(() => api.tables.get(tableId), [tableId]);
  const [offset, setOffset] = useState(0);
  const rows = useAsync(() => api.tables.rows(tableId, offset, PAGE), [tableId, offset, table.data?.revision]);
  const revisions = useAsync(() => api.tables.revisions(tableId), [tableId, table.data?.revision]);
  const [typeError, setTypeError] = useState<{ column: string; error: unknown } | null>(null);
  const [appendFile, setAppendFile] = useState<File | null>(null);
  const [appendProgress, setAppendProgress] = useState<number | null>(null);
  const [appendError, setAppendError] = useState<unknown>(undefined);
  const [appended, setAppended] = useState<string | null>(null);
  const [deleteError, setDeleteError] = useState<unknown>(undefined);

  const t = table.data;
  const columns = t?.columns ?? [];

  async function changeType(column: string, type: ColumnType) {
    setTypeError(null);
    try {
      table.setData(await api.tables.update(tableId, { columnTypes: { [column]: type } }));
    } catch (e) {
      setTypeError({ column, error: e });
    }
  }

  async function append(replace = false) {
    if (!appendFile) return;
    if (replace && !window.confirm(`Replace all ${t?.rowCount?.toLocaleString() ?? ''} rows of “${t?.name}” with the rows of ${appendFile.name}?`)) return;
    setAppendError(undefined);
    setAppended(null);
    setAppendProgress(0);
    try {
      await (replace ? api.tables.replace : api.tables.append)(tableId, appendFile, setAppendProgress);
      await table.reload();
      // The new revision says how many rows it added: no need to know the count from before the upload.
      const [latest] = await api.tables.revisions(tableId);
      setAppended(
        replace ? `Replaced: the table now has ${latest.rowCount.toLocaleString()} rows.` : `Added ${latest.rowsAdded.toLocaleString()} rows.`,
      );
      setAppendFile(null);
    } catch (e) {
      setAppendError(e);
    } finally {
      setAppendProgress(null);
    }
  }

  async function deleteTable() {
    if (!window.confirm(`Delete the table “${t?.name}” and all its revisions? This cannot be undone.`)) return;
    setDeleteError(undefined);
    try {
      await api.tables.delete(tableId);
      navigate('/tables');
    } catch (e) {
      // A table that models use is refused, with their names.
      setDeleteError(e);
    }
  }

  const rowList = rows.data?.rows ?? [];
  const total = rows.data?.total ?? t?.rowCount;
  return (
    <div className="page">
      <p className="crumbs">
        <Link href="/tables">Tables</Link> /
      </p>
      <h1>{t?.name ?? 'Table'}</h1>
      <ErrorText error={table.error} />
      {t && (
        <p className="muted">
          {t.rowCount?.toLocaleString() ?? '?'} rows · {columns.length} columns · revision {t.revision ?? '?'}
        </p>
      )}
      <div className="two-columns">
        <section className="panel" aria-labelledby="columns-heading">
          <h2 id="columns-heading">Columns</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Type</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((c) => (
                <tr key={c.name}>
                  <td>
                    {c.name}
                    {c.inferredType !== c.type && <span className="muted"> (inferred: {c.inferredType})</span>}
                  </td>
                  <td>
                    <select aria-label={`Type of ${c.name}`} value={c.type} onChange={(e) => void changeType(c.name, e.target.value as ColumnType)}>
                      {COLUMN_TYPES.map((ty) => (
                        <option key={ty}>{ty}</option>
                      ))}
                    </select>
                    {typeError?.column === c.name && <ErrorText error={typeError.error} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <div className="stack">
          <section className="panel" aria-labelledby="append-heading">
            <h2 id="append-heading">Add or replace rows</h2>
            <p className="muted">
              Append the rows of a CSV file with the same columns, or replace every row with the file’s. Either way the table gets a new
              revision; trained versions keep the revision they learned from.
            </p>
            <label>
              CSV file of rows
              <input type="file" accept=".csv,text/csv" onChange={(e) => setAppendFile(e.target.files?.[0] ?? null)} />
            </label>
            {appendProgress !== null && <ProgressBar value={appendProgress} label="Append progress" />}
            <ErrorText error={appendError} />
            {appended && <p role="status">{appended}</p>}
            <div className="buttons">
              <button type="button" disabled={!appendFile || appendProgress !== null} onClick={() => void append()}>
                Append rows
              </button>
              <button type="button" disabled={!appendFile || appendProgress !== null} onClick={() => void append(true)}>
                Replace all rows
              </button>
            </div>
          </section>
          <section className="panel" aria-labelledby="delete-heading">
            <h2 id="delete-heading">Delete</h2>
            <p className="muted">Removes the table and every revision. A table that models were set up with or trained on cannot be deleted.</p>
            <ErrorText error={deleteError} />
            <div className="buttons">
              <button type="button" onClick={() => void deleteTable()}>
                Delete table
              </button>
            </div>
          </section>
          <section className="panel" aria-labelledby="revisions-heading">
            <h2 id="revisions-heading">Revisions</h2>
            <ErrorText error={revisions.error} />
            <ul className="revisions">
              {[...(revisions.data ?? [])]
                .sort((a, b) => b.revision - a.revision)
                .map((r) => (
                  <li key={r.revision}>
                    <strong>Revision {r.revision}</strong> · {r.rowCount?.toLocaleString() ?? '?'} rows · {formatDate(r.createdAt)}
                    <span className="muted">
                      {' '}
                      · {r.kind}
                      {r.rowsAdded > 0 ? `, ${r.rowsAdded.toLocaleString()} rows added` : ''}
                    </span>
                    {r.digest && <span className="digest"> · {r.digest.slice(0, 12)}</span>}
                  </li>
                ))}
            </ul>
          </section>
        </div>
      </div>
      <section className="panel" aria-labelledby="rows-heading">
        <h2 id="rows-heading">Rows</h2>
        <ErrorText error={rows.error} />
        <div className="table-scroll">
          <table className="rows">
            <thead>
              <tr>
                <th scope="col">#</th>
                {columns.map((c) => (
                  <th scope="col" key={c.name}>
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rowList.map((r, i) => (
                <tr key={i}>
                  <td className="muted">{offset + i + 1}</td>
                  {columns.map((c, j) => (
                    <td key={c.name}>{r[j] === null ? '' : String(r[j])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="buttons">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Previous rows
          </button>
          <span className="muted">
            Rows {rowList.length ? offset + 1 : 0}–{offset + rowList.length} of {total?.toLocaleString() ?? '?'}
          </span>
          <button type="button" disabled={total !== undefined ? offset + PAGE >= total : rowList.length < PAGE} onClick={() => setOffset(offset + PAGE)}>
            Next rows
          </button>
        </div>
      </section>
    </div>
  );
}
