// Tables: the imported tables and the import of a new one.
import { api } from '../api.js';
import { ErrorText } from '../components/error-text.js';
import { ImportTable } from '../components/import-table.js';
import { formatDate } from '../format.js';
import { Link, navigate } from '../router.js';
import { useAsync } from '../use-async.js';

export function TablesPage() {
  const tables = useAsync(() => api.tables.list(), []);
  return (
    <div className="page">
      <h1>Tables</h1>
      <ErrorText error={tables.error} />
      {tables.data && tables.data.length === 0 && <p className="muted">No tables yet: import a CSV file below.</p>}
      {tables.data && tables.data.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Rows</th>
                <th scope="col">Columns</th>
                <th scope="col">Revision</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {tables.data.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link href={`/tables/${t.id}`}>{t.name}</Link>
                  </td>
                  <td>{t.rowCount?.toLocaleString() ?? '—'}</td>
                  <td>{t.columns?.length ?? '—'}</td>
                  <td>{t.revision ?? '—'}</td>
                  <td>{formatDate(t.updatedAt ?? t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ImportTable onImported={(t) => navigate(`/tables/${t.id}`)} />
    </div>
  );
}
