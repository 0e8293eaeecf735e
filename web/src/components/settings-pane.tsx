// The Settings pane of a model: General → Name (and description) → Save; deleting the model.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import type { ModelProps } from '../pages/model-page.js';
import { navigate } from '../router.js';
import { ActionButton } from './action-button.js';
import { ErrorText } from './error-text.js';

export function SettingsPane({ model, setModel, onClose }: ModelProps & { onClose: () => void }) {
  const [name, setName] = useState(model.name);
  const [description, setDescription] = useState(model.description);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  async function save(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      setModel(await api.models.update(model.id, { name: name.trim(), description }));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <div className="pane-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <aside className="pane" role="dialog" aria-modal="true" aria-labelledby="settings-heading" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <div className="pane-head">
          <h2 id="settings-heading">Settings</h2>
          <button type="button" aria-label="Close settings" onClick={onClose}>
            ✕
          </button>
        </div>
        <form onSubmit={save} className="form">
          <h3>General</h3>
          <label>
            Name
            <input ref={first} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required aria-describedby="settings-error" />
          </label>
          <label>
            Description
            <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={3} maxLength={2000} />
          </label>
          <ErrorText error={error} id="settings-error" />
          {saved && <p role="status">Saved.</p>}
          <div className="buttons">
            <button type="submit" className="primary">
              Save
            </button>
          </div>
        </form>
        <h3>Delete</h3>
        <p className="muted">Removes the model, its draft, its versions and their files.</p>
        <ActionButton
          permission={model.actions.delete}
          onClick={async () => {
            if (!window.confirm(`Delete the model “${model.name}”? This cannot be undone.`)) return;
            await api.models.delete(model.id);
            navigate('/models');
          }}
        >
          Delete model
        </ActionButton>
      </aside>
    </div>
  );
}
