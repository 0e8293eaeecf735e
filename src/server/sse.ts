// A training run's live progress as server-sent events: every change in order, then `end`.
import type { SSEStreamingApi } from 'hono/streaming';
import type { Run } from '../contract/runs.js';
import type { ModelsService } from '../services/models-service.js';

const ENDED = new Set<Run['status']>(['succeeded', 'failed', 'cancelled']);
export const runEnded = (run: Run): boolean => ENDED.has(run.status);

/** Comment lines keep idle proxies from closing the stream of a long training. */
const KEEP_ALIVE_MS = 15_000;
/** The service pushes every change; this poll only catches a change made by another process. */
const POLL_MS = 2_000;

/**
 * Writes `event: progress` with the run on every change (the current state first), then
 * `event: end` with the final run, and returns; returns early when the client goes away.
 */
export async function streamRun(models: ModelsService, runId: string, stream: SSEStreamingApi): Promise<void> {
  let last: Run | null = null;
  let lastText = '';
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  // Writes are chained so events leave in the order the changes happened.
  let writing: Promise<void> = Promise.resolve();
  const write = (fn: () => Promise<void>) => {
    writing = writing.then(fn).catch(() => finish());
  };

  const offer = (run: Run) => {
    if (last && runEnded(last)) return;
    // A state older than the one already sent (a database read racing a pushed change) is dropped,
    // so the progress a client sees never goes backwards.
    if (last && !runEnded(run) && run.status === last.status && run.progress < last.progress) return;
    if (last?.status === 'running' && run.status === 'queued') return;
    const text = JSON.stringify(run);
    if (text === lastText) return;
    last = run;
    lastText = text;
    write(async () => {
      await stream.writeSSE({ event: 'progress', data: text });
      if (runEnded(run)) {
        await stream.writeSSE({ event: 'end', data: text });
        finish();
      }
    });
  };

  // Subscribe before reading the current state, so no change can fall between the two.
  const early: Run[] = [];
  let ready = false;
  const unsubscribe = models.subscribeRun(runId, (run) => (ready ? offer(run) : early.push(run)));
  stream.onAbort(() => finish());
  const poll = setInterval(() => models.getRun(runId).then(offer, () => finish()), POLL_MS);
  const keepAlive = setInterval(() => write(() => stream.write(': keep-alive\n\n').then(() => undefined)), KEEP_ALIVE_MS);
  try {
    offer(await models.getRun(runId));
    ready = true;
    for (const run of early) offer(run);
    await finished;
    await writing;
  } finally {
    clearInterval(poll);
    clearInterval(keepAlive);
    unsubscribe();
  }
}
