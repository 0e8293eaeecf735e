// Details: the Last trained version and the Published version side by side, and the model's actions.
import { useState } from 'react';
import { api, type Model, type Slot } from '../api.js';
import type { Permission } from '../components/action-button.js';
import { ActionButton } from '../components/action-button.js';
import { ErrorText } from '../components/error-text.js';
import { Menu } from '../components/menu.js';
import { VersionCard } from '../components/version-card.js';
import { navigate } from '../router.js';
import type { ModelProps } from './model-page.js';

const SLOT_NAMES: Record<Slot, string> = { published: 'published version', lastTrained: 'last trained version' };

/** The rule's answer, narrowed further when the chosen slot is empty. */
function withSlot(model: Model, base: Permission | undefined, slot: Slot): Permission {
  if (base && !base.allowed) return base;
  if (!model[slot]) return { allowed: false, reason: `There is no ${SLOT_NAMES[slot]}.` };
  return base ?? { allowed: true };
}

export function DetailsTab({ model, setModel }: ModelProps) {
  const [error, setError] = useState<unknown>(undefined);
  const a = model.actions;
  async function act(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
    }
  }
  const newVersion = (from: Slot) =>
    act(async () => {
      await api.models.newVersion(model.id, from);
      navigate(`/models/${model.id}/draft`);
    });
  const retrain = (from?: Slot) =>
    act(async () => {
      await api.models.retrain(model.id, from);
      navigate(`/models/${model.id}/training`);
    });
  const trained = model.lastTrained || model.published;
  return (
    <div>
      <div className="toolbar actions">
        <ActionButton primary permission={a.publish} onError={setError} onClick={async () => setModel(await api.models.publish(model.id))}>
          Publish
        </ActionButton>
        <ActionButton permission={a.unpublish} onError={setError} onClick={async () => setModel(await api.models.unpublish(model.id))}>
          Unpublish
        </ActionButton>
        <Menu
          label="New version"
          items={[
            { label: 'From published version', permission: withSlot(model, a.newVersion, 'published'), onSelect: () => void newVersion('published') },
            { label: 'From last trained version', permission: withSlot(model, a.newVersion, 'lastTrained'), onSelect: () => void newVersion('lastTrained') },
          ]}
        >
          New version ▾
        </Menu>
        {!a.newVersion?.allowed && a.newVersion?.reason && <span className="why-inline">{a.newVersion.reason}</span>}
      </div>
      <ErrorText error={error} />
      <section aria-labelledby="performance-heading">
        <div className="section-head">
          <h2 id="performance-heading">Performance</h2>
          <Menu
            label="More actions"
            items={[
              { label: 'Retrain now', permission: a.retrain, onSelect: () => void retrain() },
              ...(model.published && model.lastTrained
                ? [{ label: 'Retrain now from last trained version', permission: a.retrain, onSelect: () => void retrain('lastTrained') }]
                : []),
              { label: 'Publish', permission: a.publish, onSelect: () => void act(async () => setModel(await api.models.publish(model.id))) },
              { label: 'Unpublish', permission: a.unpublish, onSelect: () => void act(async () => setModel(await api.models.unpublish(model.id))) },
              { label: 'Compare versions', onSelect: () => navigate(`/models/${model.id}/history`) },
            ]}
          />
        </div>
        {!trained && !model.activeRun && (
          <p className="muted">
            This model has no trained version yet. {model.draft ? 'Resume the draft to finish its configuration and train it.' : ''}
          </p>
        )}
        <div className="slots">
          <VersionCard
            title="Last trained version"
            version={model.lastTrained}
            empty={model.published ? 'Empty: the last trained version was published. Retrain or create a new version to fill it.' : 'No trained version yet.'}
          />
          <VersionCard title="Published version" version={model.published} empty="Nothing is published yet. Publish the last trained version to use it for predictions." />
        </div>
      </section>
    </div>
  );
}
