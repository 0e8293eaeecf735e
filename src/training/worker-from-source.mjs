// Starts the TypeScript worker entry (src/training/worker.ts) when Lathe runs from sources (tsx, vitest).
// Node 20 ignores `--import tsx` in a worker's execArgv for the worker's own entry module, so the
// TypeScript loader is registered here, in plain JavaScript, before the entry is imported.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
