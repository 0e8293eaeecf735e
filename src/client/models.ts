// Client calls of /api/models and /api/runs, and following a run's progress over server-sent events.
import type { z } from 'zod';
import type {
  Comparison,
  CreateModelRequest,
  History,
  InputField as InputFieldSchema,
  Model,
  PredictResult,
  QuickTestRequest,
  QuickTestResult,
  SlotName,
  UpdateModelRequest,
  Version,
} from '../contract/models.js';
import type { Run } from '../contract/runs.js';
import { ApiError, type Http } from './http.js';

export type ModelReply = z.infer<typeof Model>;
export type RunReply = z.infer<typeof Run>;
export type VersionReply = z.infer<typeof Version>;
export type HistoryReply = z.infer<typeof History>;
export type ComparisonReply = z.infer<typeof Comparison>;
export type QuickTestReply = z.infer<typeof QuickTestResult>;
export type PredictReply = z.infer<typeof PredictResult>;
export type CreateModelInput = z.input<typeof CreateModelRequest>;
export type UpdateModelInput = z.input<typeof UpdateModelRequest>;
export type QuickTestInput = z.input<typeof QuickTestRequest>;
export type Slot = z.infer<typeof SlotName>;
/** One field of the quick test form (GET /api/models/{id}/inputs). */
export type InputField = z.infer<typeof InputFieldSchema>;

const ENDED = new Set<RunReply['status']>(['succeeded', 'failed', 'cancelled']);
export const isRunEnded = (run: RunReply): boolean => ENDED.has(run.status);

const enc = encodeURIComponent;

export function modelsClient(http: Http) {
  const m = (id: string, rest = '') => `/api/models/${enc(id)}${rest}`;

  /**
   * Follows a run's event stream, calling `onRun` with each state in order (the current one first);
   * resolves with the final run. Rejects if the stream breaks before the run ends.
   */
  async function runEvents(runId: string, onRun: (run: RunReply) => void, signal?: AbortSignal): Promise<RunReply> {
    const res = await http.send('GET', `/api/runs/${enc(runId)}/events`, { headers: { accept: 'text/event-stream' } });
    if (!res.body) throw new Error('The server sent no event stream.');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const onAbort = () => void reader.cancel().catch(() => {});
    signal?.addEventListener('abort', onAbort);
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const { event, data } = parseFrame(frame);
          if (!data) continue;
          const run = JSON.parse(data) as RunReply;
          if (event === 'end') return run;
          onRun(run);
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Frees the connection at once instead of waiting for the server to close it.
      void reader.cancel().catch(() => {});
    }
    throw new Error(`The progress stream of run ${runId} closed before the run ended.`);
  }

  const getRun = (runId: string) => http.json<RunReply>('GET', `/api/runs/${enc(runId)}`);

  return {
    list: async () => (await http.json<{ models: ModelReply[] }>('GET', '/api/models')).models,
    get: (id: string) => http.json<ModelReply>('GET', m(id)),
    create: (input: CreateModelInput) => http.json<ModelReply>('POST', '/api/models', input),
    update: (id: string, input: UpdateModelInput) => http.json<ModelReply>('PATCH', m(id), input),
    saveDraft: (id: string, configuration: Record<string, unknown>) => http.json<ModelReply>('PUT', m(id, '/draft'), { configuration }),
    discardDraft: (id: string) => http.json<ModelReply>('DELETE', m(id, '/draft')),
    train: (id: string) => http.json<RunReply>('POST', m(id, '/draft/train')),
    newVersion: (id: string, from?: Slot) => http.json<ModelReply>('POST', m(id, '/versions'), { from }),
    retrain: (id: string, from?: Slot) => http.json<RunReply>('POST', m(id, '/retrain'), { from }),
    publish: (id: string) => http.json<ModelReply>('POST', m(id, '/publish')),
    unpublish: (id: string) => http.json<ModelReply>('POST', m(id, '/unpublish')),
    rollback: (id: string, version: number) => http.json<ModelReply>('POST', m(id, '/rollback'), { version }),
    quickTest: (id: string, input: QuickTestInput) => http.json<QuickTestReply>('POST', m(id, '/quick-test'), input),
    /** `options.explain: false` leaves the explanations out (much faster); the server explains by default. */
    predict: (id: string, rows: Record<string, unknown>[], options: { explain?: boolean } = {}) =>
      http.json<PredictReply>('POST', m(id, '/predict'), options.explain === undefined ? { rows } : { rows, explain: options.explain }),
    inputs: async (id: string, version?: Slot) =>
      (await http.json<{ fields: InputField[] }>('GET', m(id, '/inputs'), undefined, { version })).fields,
    history: (id: string) => http.json<HistoryReply>('GET', m(id, '/history')),
    version: (id: string, version: number) => http.json<VersionReply>('GET', m(id, `/versions/${version}`)),
    compare: (id: string, a: number, b: number) => http.json<ComparisonReply>('GET', m(id, '/compare'), undefined, { a, b }),
    delete: async (id: string): Promise<void> => {
      await http.send('DELETE', m(id));
    },
    getRun,
    cancelRun: (runId: string) => http.json<RunReply>('POST', `/api/runs/${enc(runId)}/cancel`),
    runEvents,
    /**
     * Resolves with the run once it has ended, calling `onProgress` on every change. If the stream
     * breaks (a proxy timeout, a restarting server), it reconnects; the run's stored state decides.
     */
    async waitForRun(runId: string, onProgress?: (run: RunReply) => void): Promise<RunReply> {
      for (let attempt = 0; ; attempt++) {
        try {
          return await runEvents(runId, (r) => onProgress?.(r));
        } catch (err) {
          if (err instanceof ApiError && err.status < 500) throw err;
          if (attempt >= 30) throw err;
          await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** Math.min(attempt, 5))));
          // The server may be gone for good: its stored state is the answer when the run has ended.
          const run = await getRun(runId).catch(() => null);
          if (run && isRunEnded(run)) {
            onProgress?.(run);
            return run;
          }
        }
      }
    },
  };
}

/** One server-sent event: its `event:` name and its `data:` lines joined. */
function parseFrame(frame: string): { event: string; data: string } {
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return { event, data: data.join('\n') };
}
