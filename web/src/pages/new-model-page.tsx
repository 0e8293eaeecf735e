// Create model: choose the type and a name; the model is created with its first draft, then the wizard opens.
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorText } from '../components/error-text.js';
import { navigate } from '../router.js';

const TYPES = [
  {
    type: 'prediction' as const,
    title: 'Prediction',
    text: 'Predict an outcome from the other columns of a table: yes/no, one of several outcomes, or a number.',
  },
  {
    type: 'text-classification' as const,
    title: 'Category classification',
    text: 'Tag texts with one or more categories, learned from texts you already tagged.',
  },
];

export function NewModelPage() {
  const [type, setType] = useState<'prediction' | 'text-classification'>('prediction');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const model = await api.models.create({ name: name.trim(), type });
      navigate(`/models/${model.id}/draft`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="page narrow">
      <h1>Create model</h1>
      <form onSubmit={submit} className="form">
        <fieldset>
          <legend>Model type</legend>
          <div className="cards">
            {TYPES.map((t) => (
              <label key={t.type} className={`card choice ${type === t.type ? 'selected' : ''}`}>
                <input type="radio" name="type" value={t.type} checked={type === t.type} onChange={() => setType(t.type)} />
                <strong>{t.title}</strong>
                <span className="muted">{t.text}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required aria-describedby="new-model-error" />
        </label>
        <ErrorText error={error} id="new-model-error" />
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy || name.trim() === ''}>
            Create model
          </button>
        </div>
      </form>
    </div>
  );
}
