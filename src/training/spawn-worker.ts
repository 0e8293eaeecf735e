// Starts a Lathe worker thread (worker.ts) from compiled dist/ or from TypeScript sources.
import { Worker } from 'node:worker_threads';
import type { WorkerSetup } from './messages.js';

/**
 * Starts a worker, from compiled dist/ (worker.js) or from TypeScript sources (tests, tsx): there a
 * small JavaScript bootstrap registers tsx first, because Node 20 does not apply `--import tsx`
 * from a worker's execArgv to the worker's entry module.
 */
export function spawnWorker(setup: WorkerSetup): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: setup });
  const entry = new URL('./worker.ts', import.meta.url).href;
  return new Worker(new URL('./worker-from-source.mjs', import.meta.url), { workerData: { ...setup, entry } });
}
