// A worker thread: loads the engines once, then trains the jobs the runner sends it (posting
// progress and each result, never with a transfer list: see exactArtifact) or predicts batches
// for the prediction pool. Kept warm between jobs so a job does not pay for starting a thread
// and loading the engines.
import { parentPort, workerData } from 'node:worker_threads';
import { createEngineRegistry, type EngineRegistry } from '../engines/registry.js';
import { loadEngineModules } from './engine-modules.js';
import type { Predictor } from '../engines/seam.js';
import { exactArtifact, type JobInput, type PredictInput, type ToWorker, type WorkerMessage, type WorkerSetup } from './messages.js';

const port = parentPort;
if (!port) throw new Error('worker.ts runs only as a worker thread');

const post = (m: WorkerMessage) => port.postMessage(m);
const setup = workerData as WorkerSetup;
const registry: Promise<EngineRegistry> = loadEngineModules(setup.engineModules).then((extra) => createEngineRegistry(extra));
// An unhandled rejection would kill the thread before a job can report it; jobs await it instead.
registry.catch(() => undefined);

async function train(input: JobInput): Promise<void> {
  const engine = (await registry).get(input.modelType);
  const configuration = engine.configurationSchema.parse(input.configuration);
  // Progress is sent at most every 50 ms per stage so a chatty engine cannot flood the port.
  let lastStage = '';
  let lastAt = 0;
  const progress = (stage: string, fraction: number) => {
    const now = Date.now();
    if (stage === lastStage && now - lastAt < 50) return;
    lastStage = stage;
    lastAt = now;
    post({ kind: 'progress', jobId: input.jobId, stage, fraction: Math.min(1, Math.max(0, fraction)) });
  };
  const result = await engine.train(input.data, configuration, { seed: input.seed, progress, threads: input.threads });
  post({ kind: 'done', jobId: input.jobId, result: { ...result, artifact: exactArtifact(result.artifact) } });
}

/** Recently used predictors, by artifact key (a prediction worker serves the same versions again and again). */
const predictors = new Map<string, Predictor>();
const PREDICTORS_KEPT = 8;

async function predict(input: PredictInput): Promise<void> {
  let predictor = predictors.get(input.predictorKey);
  if (!predictor) {
    predictor = (await registry).get(input.modelType).load(input.artifact);
    predictors.set(input.predictorKey, predictor);
    if (predictors.size > PREDICTORS_KEPT) predictors.delete(predictors.keys().next().value as string);
  }
  post({ kind: 'predicted', jobId: input.jobId, results: predictor.predict(input.rows, { explain: input.explain ?? true }) });
}

function describeError(e: unknown): { code: string | null; message: string; details: Record<string, unknown> } {
  const err = e as { code?: unknown; message?: unknown; details?: unknown; issues?: unknown; name?: unknown };
  const isLathe = err?.name === 'LatheError' && typeof err.code === 'string';
  // A zod parse failure is a configuration the engine's schema rejects.
  if (Array.isArray(err?.issues)) {
    const issues = err.issues as { path: unknown[]; message: string }[];
    return {
      code: 'INVALID_CONFIGURATION',
      message: `The configuration is not valid: ${issues.map((i) => `${i.path.join('.') || 'configuration'}: ${i.message}`).join('; ')}`,
      details: {},
    };
  }
  return {
    code: isLathe ? (err.code as string) : null,
    message: typeof err?.message === 'string' ? err.message : String(e),
    details: isLathe && err.details && typeof err.details === 'object' ? (err.details as Record<string, unknown>) : {},
  };
}

port.on('message', (m: ToWorker) => {
  const work = m.kind === 'train' ? train(m.input) : predict(m.input);
  work.catch((e: unknown) => post({ kind: 'error', jobId: m.input.jobId, ...describeError(e) }));
});
