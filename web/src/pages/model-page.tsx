// One model: its header, banners (draft, training, last failure), tabs, and the Settings pane.
import { useRef, useState } from 'react';
import { api, type Model } from '../api.js';
import { ActionButton } from '../components/action-button.js';
import { ErrorText } from '../components/error-text.js';
import { SettingsPane } from '../components/settings-pane.js';
import { typeLabel } from '../format.js';
import { Link, navigate } from '../router.js';
import { useAsync } from '../use-async.js';
import { DetailsTab } from './details-tab.js';
import { DraftWizard } from './draft-wizard.js';
import { HistoryTab } from './history-tab.js';
import { QuickTestTab } from './quick-test-tab.js';
import { TrainingTab } from './training-tab.js';
import { VersionPage } from './version-page.js';

export interface ModelProps {
  model: Model;
  /** Replaces the shown model with the API's latest answer. */
  setModel: (m: Model) => void;
  reload: () => Promise<void>;
}

const TABS = [
  { tab: 'details', label: 'Details' },
  { tab: 'test', label: 'Quick test' },
  { tab: 'history', label: 'History' },
];

export function ModelPage({ modelId, tab, arg }: { modelId: string; tab: string; arg?: string }) {
  const state = useAsync(() => api.models.get(modelId), [modelId, tab]);
  const [settings, setSettings] = useState(false);
  const settingsButton = useRef<HTMLButtonElement>(null);
  const model = state.data;
  if (!model) {
    return (
      <div className="page">
        <p className="crumbs">
          <Link href="/models">Models</Link> /
        </p>
        <ErrorText error={state.error} />
        {state.loading && <p className="muted">Loading the model…</p>}
      </div>
    );
  }
  const props: ModelProps = { model, setModel: state.setData, reload: state.reload };
  const inWizard = tab === 'draft';
  return (
    <div className="page">
      <p className="crumbs">
        <Link href="/models">Models</Link> /
      </p>
      <div className="page-head">
        <div>
          <h1>{model.name}</h1>
          <p className="muted">
            {typeLabel(model.type)}
            {model.description && ` · ${model.description}`}
          </p>
        </div>
        <button type="button" ref={settingsButton} onClick={() => setSettings(true)}>
          Settings
        </button>
      </div>
      {/* The training page itself says what the banners would (a run in progress, its draft). */}
      {!inWizard && tab !== 'training' && <Banners {...props} />}
      {!inWizard && (
        <nav className="tabs" aria-label="Model">
          {TABS.map((t) => (
            <Link key={t.tab} href={`/models/${model.id}${t.tab === 'details' ? '' : `/${t.tab}`}`} aria-current={tab === t.tab ? 'page' : undefined}>
              {t.label}
            </Link>
          ))}
        </nav>
      )}
      {tab === 'details' && <DetailsTab {...props} />}
      {/* Keyed by the draft so the wizard starts over from the server's draft when one appears (New version). */}
      {tab === 'draft' && <DraftWizard key={model.draft?.createdAt ?? 'none'} {...props} />}
      {tab === 'training' && <TrainingTab {...props} />}
      {tab === 'test' && <QuickTestTab {...props} />}
      {tab === 'history' && <HistoryTab {...props} />}
      {tab === 'versions' && arg && <VersionPage {...props} version={Number(arg)} />}
      {settings && (
        <SettingsPane
          {...props}
          onClose={() => {
            setSettings(false);
            // Back to where the keyboard user was before the pane opened.
            settingsButton.current?.focus();
          }}
        />
      )}
    </div>
  );
}

function Banners({ model, setModel }: ModelProps) {
  const [error, setError] = useState<unknown>(undefined);
  const run = model.activeRun;
  return (
    <>
      {run && (
        <div className="banner info" role="status">
          <span>
            Training in progress: {run.stage} ({Math.round(run.progress * 100)}%).
          </span>
          <Link href={`/models/${model.id}/training`} className="button">
            See training
          </Link>
        </div>
      )}
      {model.draft && (
        <div className="banner draft" role="region" aria-label="Draft">
          <span>
            This model has a draft{model.draft.basedOn ? ` based on version ${model.draft.basedOn}` : ''}, last saved{' '}
            {new Date(model.draft.updatedAt).toLocaleString()}.
          </span>
          <span className="buttons">
            <ActionButton primary permission={model.actions.resumeDraft} onClick={() => navigate(`/models/${model.id}/draft`)}>
              Resume draft
            </ActionButton>
            <ActionButton
              permission={model.actions.discardDraft}
              onError={setError}
              onClick={async () => {
                if (!window.confirm('Discard the draft? Its configuration will be lost.')) return;
                setModel(await api.models.discardDraft(model.id));
              }}
            >
              Discard draft
            </ActionButton>
          </span>
          <ErrorText error={error} />
        </div>
      )}
      {model.lastRunOutcome && !run && (
        <div className={`banner ${model.lastRunOutcome.status === 'failed' ? 'danger' : 'info'}`} role="status">
          The last training {model.lastRunOutcome.status === 'failed' ? 'failed' : 'was cancelled'}: {model.lastRunOutcome.message}
        </div>
      )}
      {model.warnings.map((w, i) => (
        <div key={i} className="banner warning" role="status">
          {w.message}
        </div>
      ))}
    </>
  );
}
