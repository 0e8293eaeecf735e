// The runner with real worker threads and the stump engine: results, failures, queueing, cancel.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TrainResult } from '../engines/seam.js';
import { TrainingRunner, type RunnerHooks } from './runner.js';
import { thresholdTable } from './test-support/tables.js';

const STUMP = fileURLToPath(new URL('./test-support/stump-engine.ts', import.meta.url));

interface Log {
  events: string[];
  results: Map<string, TrainResult>;
  failures: Map<string, string>;
  progress: Map<string, [string, number][]>;
  settled: Map<string, () => void>;
}

function recordingHooks(): { hooks: RunnerHooks; log: Log; settledRun(id: string): Promise<void> } {
  const log: Log = { events: [], results: new Map(), failures: new Map(), progress: new Map(), settled: new Map() };
  const waiters = new Map<string, Promise<void>>();
  const settledRun = (id: string) => {
    if (!waiters.has(id)) waiters.set(id, new Promise((r) => log.settled.set(id, r)));
    return waiters.get(id)!;
  };
  const hooks: RunnerHooks = {
    async onStart(id) {
      log.events.push(`start ${id}`);
    },
    onProgress(id, stage, fraction) {
      const list = log.progress.get(id) ?? [];
      list.push([stage, fraction]);
      log.progress.set(id, list);
    },
    async onSuccess(id, result) {
      log.events.push(`success ${id}`);
      log.results.set(id, result);
      void settledRun(id);
      log.settled.get(id)!();
    },
    async onFailure(id, message) {
      log.events.push(`failure ${id}`);
      log.failures.set(id, message);
      void settledRun(id);
      log.settled.get(id)!();
    },
  };
  return { hooks, log, settledRun };
}

const job = (runId: string, configuration: Record<string, unknown>) => ({
  runId,
  modelType: 'prediction',
  configuration: { tableId: 't1', target: 'y', ...configuration },
  seed: 1,
  loadData: async () => thresholdTable(100),
});

describe('training runner', () => {
  it('trains in a worker thread and hands back the artifact, metrics and progress', async () => {
    const { hooks, log, settledRun } = recordingHooks();
    const runner = new TrainingRunner({ maxConcurrent: 1, threads: 1, engineModules: [STUMP], hooks });
    runner.enqueue(job('a', {}));
    await settledRun('a');
    const result = log.results.get('a')!;
    expect(result.artifact).toBeInstanceOf(Uint8Array);
    expect(result.artifact.byteLength).toBeGreaterThan(10);
    expect(result.evaluation.metrics.accuracy).toBe(1);
    expect(log.progress.get('a')!.map(([s]) => s)).toContain('training');
    await runner.stop();
  });

  it('reports an engine refusal and a crash as failures with their message', async () => {
    const { hooks, log, settledRun } = recordingHooks();
    const runner = new TrainingRunner({ maxConcurrent: 2, threads: 1, engineModules: [STUMP], hooks });
    runner.enqueue(job('bad', { target: 'nope' }));
    runner.enqueue(job('throw', { crash: 'throw' }));
    runner.enqueue(job('exit', { crash: 'exit' }));
    await Promise.all([settledRun('bad'), settledRun('throw'), settledRun('exit')]);
    expect(log.failures.get('bad')).toBe('The table has no column "nope" to predict.');
    expect(log.failures.get('throw')).toBe('the stump engine crashed on purpose');
    expect(log.failures.get('exit')).toMatch(/stopped unexpectedly \(exit code 7\)/);
    // Workers that reported a failure, and fresh ones replacing a dead one, take the next runs.
    runner.enqueue(job('after1', {}));
    runner.enqueue(job('after2', {}));
    runner.enqueue(job('after3', {}));
    await Promise.all([settledRun('after1'), settledRun('after2'), settledRun('after3')]);
    expect([...log.results.keys()].sort()).toEqual(['after1', 'after2', 'after3']);
    await runner.stop();
  });

  it('runs at most maxConcurrent at once, queues the rest, and cancels queued and running runs', async () => {
    const { hooks, log, settledRun } = recordingHooks();
    const runner = new TrainingRunner({ maxConcurrent: 1, threads: 1, engineModules: [STUMP], hooks });
    runner.enqueue(job('slow', { delayMs: 5000 }));
    runner.enqueue(job('queued', {}));
    runner.enqueue(job('last', {}));
    expect(runner.running()).toEqual(['slow']);
    expect(runner.queued()).toEqual(['queued', 'last']);
    expect(runner.cancel('queued')).toBe('queued');
    while (!log.progress.get('slow')?.some(([s]) => s === 'training')) await new Promise((r) => setTimeout(r, 20));
    expect(runner.cancel('slow')).toBe('running');
    await settledRun('last');
    expect(log.events).toEqual(['start slow', 'start last', 'success last']);
    expect(runner.cancel('slow')).toBe('unknown');
    await runner.stop();
  });
});
