// Training: live stage and percent from the server's event stream, Cancel; reopening the page reattaches.
import { useEffect, useState } from 'react';
import { api, type Run } from '../api.js';
import { ActionButton } from '../components/action-button.js';
import { ErrorText } from '../components/error-text.js';
import { ProgressBar } from '../components/progress-bar.js';
import { duration } from '../format.js';
import { Link } from '../router.js';
import type { ModelProps } from './model-page.js';

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

export function TrainingTab({ model, reload }: ModelProps) {
  const [run, setRun] = useState<Run | null>(model.activeRun);
  const [error, setError] = useState<unknown>(undefined);
  const runId = run?.id;
  // The model shown first may predate the run (it was loaded before Train); adopt the run once it appears.
  useEffect(() => {
    if (model.activeRun && model.activeRun.id !== run?.id && (!run || ENDED.has(run.status))) setRun(model.activeRun);
  }, [model.activeRun, run]);

  useEffect(() => {
    if (!runId) return;
    let closed = false;
    let poll: ReturnType<typeof setInterval> | undefined;
    const onRun = (r: Run) => {
      if (closed) return;
      setRun(r);
      if (ENDED.has(r.status)) {
        stop();
        void reload();
      }
    };
    const source = new EventSource(api.runs.eventsUrl(runId));
    const read = (e: MessageEvent) => {
      try {
        onRun(JSON.parse(e.data) as Run);
      } catch {
        /* a malformed event is skipped; the next one or the poll catches up */
      }
    };
    source.addEventListener('progress', read);
    source.addEventListener('end', read);
    source.onmessage = read;
    // If the stream breaks (proxy, server restart), fall back to asking every second.
    source.onerror = () => {
      source.close();
      if (closed || poll) return;
      poll = setInterval(() => {
        api.runs.get(runId).then(onRun, setError);
      }, 1000);
    };
    function stop() {
      closed = true;
      source.close();
      if (poll) clearInterval(poll);
    }
    return stop;
  }, [runId, reload]);

  if (!run) {
    return (
      <section className="panel">
        <h2>Training</h2>
        <p>No training is running for this model.</p>
        {model.lastRunOutcome && (
          <p className="error">
            The last training {model.lastRunOutcome.status}: {model.lastRunOutcome.message}
          </p>
        )}
        <Link href={`/models/${model.id}`} className="button">
          See details
        </Link>
      </section>
    );
  }
  const ended = ENDED.has(run.status);
  return (
    <section className="panel training" aria-labelledby="training-heading">
      <h2 id="training-heading">{ended ? 'Training ended' : 'Training'}</h2>
      <p>
        {run.kind === 'retrain' ? 'Retraining on the table’s current rows.' : 'Training from the draft.'}
        {!ended && ' You can close this page: training continues, and this page picks it up again when you come back.'}
      </p>
      <p className="stage" aria-live="polite">
        Stage: <strong>{run.stage}</strong> · {run.status}
      </p>
      <ProgressBar value={run.status === 'succeeded' ? 1 : run.progress} label="Training progress" />
      {run.status === 'succeeded' && (
        <p role="status" className="ok">
          Training succeeded: version {run.version} is now the Last trained version
          {run.startedAt && run.finishedAt ? ` (${duration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))})` : ''}.
        </p>
      )}
      {run.status === 'failed' && (
        <p role="alert" className="error">
          Training failed: {run.error}
        </p>
      )}
      {run.status === 'cancelled' && <p role="status">Training was cancelled. The draft and the versions are unchanged.</p>}
      <ErrorText error={error} />
      <div className="buttons">
        {!ended && (
          <ActionButton permission={model.actions.cancel} onClick={async () => setRun(await api.runs.cancel(run.id))}>
            Cancel
          </ActionButton>
        )}
        <Link href={`/models/${model.id}`} className={`button ${ended ? 'primary' : ''}`}>
          See details
        </Link>
        {run.status === 'succeeded' && (
          <Link href={`/models/${model.id}/test`} className="button">
            Quick test
          </Link>
        )}
      </div>
    </section>
  );
}
