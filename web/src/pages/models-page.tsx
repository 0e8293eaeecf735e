// Models: every model with its type, status, grade or score, last trained and published dates.
import { useMemo, useState } from 'react';
import { api, type Model } from '../api.js';
import { ErrorText } from '../components/error-text.js';
import { formatDate, modelStatus, scoreText, typeLabel } from '../format.js';
import { Link } from '../router.js';
import { useAsync } from '../use-async.js';

/** When the model last finished a training, whichever slot that version sits in now. */
function lastTrainedAt(m: Model): string {
  const dates = [m.lastTrained?.trainedAt, m.published?.trainedAt].filter((d): d is string => !!d);
  return dates.sort().at(-1) ?? '';
}

type SortKey = 'updated' | 'name' | 'type' | 'status' | 'trained';

export function ModelsPage() {
  const models = useAsync(() => api.models.list(), []);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortKey>('updated');
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const list = (models.data ?? []).filter(
      (m) => !q || m.name.toLowerCase().includes(q) || m.description.toLowerCase().includes(q) || typeLabel(m.type).toLowerCase().includes(q),
    );
    const trained = lastTrainedAt;
    const by: Record<SortKey, (a: Model, b: Model) => number> = {
      updated: (a, b) => b.updatedAt.localeCompare(a.updatedAt),
      name: (a, b) => a.name.localeCompare(b.name),
      type: (a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name),
      status: (a, b) => modelStatus(a).localeCompare(modelStatus(b)) || a.name.localeCompare(b.name),
      trained: (a, b) => trained(b).localeCompare(trained(a)),
    };
    return [...list].sort(by[sort]);
  }, [models.data, search, sort]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Models</h1>
        <Link href="/models/new" className="button primary">
          New model
        </Link>
      </div>
      <div className="toolbar">
        <label>
          Search models
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name, description or type" />
        </label>
        <label>
          Sort by
          <select value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
            <option value="updated">Recently changed</option>
            <option value="name">Name</option>
            <option value="type">Type</option>
            <option value="status">Status</option>
            <option value="trained">Last trained</option>
          </select>
        </label>
      </div>
      <ErrorText error={models.error} />
      {models.loading && !models.data && <p className="muted">Loading models…</p>}
      {models.data && models.data.length === 0 && (
        <div className="empty">
          <p>No models yet. A model learns from one of your tables to predict an outcome or to tag texts.</p>
          <Link href="/models/new" className="button primary">
            Create model
          </Link>
        </div>
      )}
      {shown.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Grade / score</th>
                <th scope="col">Last trained</th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link href={`/models/${m.id}`}>{m.name}</Link>
                  </td>
                  <td>{typeLabel(m.type)}</td>
                  <td>{modelStatus(m)}</td>
                  <td className="center">{scoreText(m.published ?? m.lastTrained)}</td>
                  <td>{formatDate(lastTrainedAt(m) || null)}</td>
                  <td>{m.published ? `Version ${m.published.version}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {models.data && models.data.length > 0 && shown.length === 0 && <p className="muted">No model matches “{search}”.</p>}
    </div>
  );
}
