// The training worker thread: resolves the engine by model type, trains on the table it was
// given, and posts progress and the result (artifact transferred) back to the runner.
import { parentPort, workerData } from 'node:worker_threads';
import { createEngineRegistry } from '../engines/registry.js';
import { loadEngineModules } from './engine-modules.js';
import { artifactForTransfer, type WorkerInput, type WorkerMessage } from './messages.js';

const port = parentPort;
if (!port) throw new Error('worker.ts runs only as a worker thread');

const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function main(input: WorkerInput): Promise<void> {
  const registry = createEngineRegistry(await loadEngineModules(input.engineModules));
  const engine = registry.get(input.modelType);
  const configuration = engine.configurationSchema.parse(input.configuration);
  // Progress is sent at most every 50 ms (and on every stage change) so a chatty engine cannot flood the port.
  let lastStage = '';
  let lastAt = 0;
  const progress = (stage: string, fraction: number) => {
    const now = Date.now();
    if (stage === lastStage && now - lastAt < 50) return;
    lastStage = stage;
    lastAt = now;
    post({ kind: 'progress', stage, fraction: Math.min(1, Math.max(0, fraction)) });
  };
  const result = await engine.train(input.data, configuration, { seed: input.seed, progress, threads: input.threads });
  const { artifact, transfer } = artifactForTransfer(result.artifact);
  post({ kind: 'done', result: { ...result, artifact } }, transfer);
}

main(workerData as WorkerInput).catch((e: unknown) => {
  const err = e as { code?: unknown; message?: unknown; details?: unknown; issues?: unknown; name?: unknown };
  const isLathe = err?.name === 'LatheError' && typeof err.code === 'string';
  // A zod parse failure is a configuration the engine's schema rejects.
  const isZod = Array.isArray(err?.issues);
  post({
    kind: 'error',
    code: isLathe ? (err.code as string) : isZod ? 'INVALID_CONFIGURATION' : null,
    message: isZod
      ? `The configuration is not valid: ${(err.issues as { path: unknown[]; message: string }[]).map((i) => `${i.path.join('.') || 'configuration'}: ${i.message}`).join('; ')}`
      : typeof err?.message === 'string'
        ? err.message
        : String(e),
    details: isLathe && err.details && typeof err.details === 'object' ? (err.details as Record<string, unknown>) : {},
  });
});
