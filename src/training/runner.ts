// The training runner: a queue of runs executed off the request path in worker threads, at most
// `maxConcurrent` at once, with progress, cancellation and a clean stop. It stores nothing itself:
// the service's hooks persist every transition through the lifecycle rules.
import type { Worker } from 'node:worker_threads';
import type { TrainResult } from '../engines/seam.js';
import type { TableData } from '../tables/table-data.js';
import { tableForTransfer, type JobInput, type ToWorker, type WorkerMessage } from './messages.js';
import { spawnWorker } from './spawn-worker.js';

export interface RunJob {
  runId: string;
  modelType: string;
  configuration: unknown;
  seed: number;
  /** Reads the pinned table revision; called when the run leaves the queue. */
  loadData(): Promise<TableData>;
}

export interface RunnerHooks {
  /** The run leaves the queue. Throwing drops the run (e.g. it was cancelled in the meantime). */
  onStart(runId: string): Promise<void>;
  /** Stage and fraction in [0, 1]; called often, the hook throttles what it stores. */
  onProgress(runId: string, stage: string, fraction: number): void;
  onSuccess(runId: string, result: TrainResult, timing: { startedAt: number; finishedAt: number }): Promise<void>;
  onFailure(runId: string, message: string): Promise<void>;
}

export interface RunnerOptions {
  maxConcurrent: number;
  /** Threads each engine may use inside its worker. */
  threads: number;
  engineModules: string[];
  hooks: RunnerHooks;
}

interface Active {
  job: RunJob;
  worker?: Worker;
  cancelled: boolean;
  done: Promise<void>;
}

/** Idle workers are kept this long for the next run, then ended to give their memory back. */
const IDLE_MS = 60_000;

export class TrainingRunner {
  private readonly queue: RunJob[] = [];
  private readonly active = new Map<string, Active>();
  /** Warm workers waiting for a job, with the timer that ends them. */
  private readonly idle: { worker: Worker; timer: NodeJS.Timeout }[] = [];
  private stopping = false;

  constructor(private readonly options: RunnerOptions) {}

  enqueue(job: RunJob): void {
    if (this.stopping) return;
    this.queue.push(job);
    this.pump();
  }

  /** 'queued': removed from the queue; 'running': its worker is terminated; 'unknown': not here. */
  cancel(runId: string): 'queued' | 'running' | 'unknown' {
    const i = this.queue.findIndex((j) => j.runId === runId);
    if (i >= 0) {
      this.queue.splice(i, 1);
      return 'queued';
    }
    const a = this.active.get(runId);
    if (!a) return 'unknown';
    a.cancelled = true;
    void a.worker?.terminate();
    return 'running';
  }

  /** Runs waiting, in order. */
  queued(): string[] {
    return this.queue.map((j) => j.runId);
  }

  running(): string[] {
    return [...this.active.keys()];
  }

  /** Empties the queue, terminates every worker and waits for in-flight hooks to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.queue.length = 0;
    const pending = [...this.active.values()];
    for (const a of pending) {
      a.cancelled = true;
      await a.worker?.terminate();
    }
    for (const { worker, timer } of this.idle.splice(0)) {
      clearTimeout(timer);
      await worker.terminate();
    }
    await Promise.allSettled(pending.map((a) => a.done));
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.options.maxConcurrent && this.queue.length > 0) {
      const job = this.queue.shift()!;
      const a: Active = { job, cancelled: false, done: Promise.resolve() };
      this.active.set(job.runId, a);
      a.done = this.execute(a).finally(() => {
        this.active.delete(job.runId);
        this.pump();
      });
    }
  }

  private async execute(a: Active): Promise<void> {
    const { hooks } = this.options;
    const { job } = a;
    try {
      await hooks.onStart(job.runId);
    } catch {
      return; // the service refused to start it (cancelled or deleted meanwhile); nothing to do
    }
    const startedAt = Date.now();
    let outcome: { ok: true; result: TrainResult } | { ok: false; message: string };
    try {
      hooks.onProgress(job.runId, 'loading data', 0);
      const data = await job.loadData();
      if (a.cancelled) return;
      outcome = await this.train(a, data);
    } catch (e) {
      outcome = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    // A cancelled or stopped run is settled by whoever cancelled it; its result is dropped.
    if (a.cancelled) return;
    try {
      if (outcome.ok) {
        hooks.onProgress(job.runId, 'saving', 1);
        await hooks.onSuccess(job.runId, outcome.result, { startedAt, finishedAt: Date.now() });
      } else {
        await hooks.onFailure(job.runId, outcome.message);
      }
    } catch (e) {
      // The hooks own persistence and report their own errors; a failing hook must not kill the queue.
      console.error(`Lathe: storing the outcome of run ${job.runId} failed:`, e);
    }
  }

  /** A warm worker if one waits, otherwise a new one; referenced while it works so the process stays up. */
  private acquire(): Worker {
    const warm = this.idle.pop();
    if (warm) {
      clearTimeout(warm.timer);
      warm.worker.ref();
      return warm.worker;
    }
    const worker = spawnWorker({ engineModules: this.options.engineModules });
    // A warm worker that dies while idle must never be handed a job.
    worker.on('exit', () => {
      const i = this.idle.findIndex((x) => x.worker === worker);
      if (i >= 0) {
        clearTimeout(this.idle[i].timer);
        this.idle.splice(i, 1);
      }
    });
    return worker;
  }

  private putBack(worker: Worker): void {
    if (this.stopping) {
      void worker.terminate();
      return;
    }
    worker.unref();
    const timer = setTimeout(() => {
      const i = this.idle.findIndex((x) => x.worker === worker);
      if (i >= 0) this.idle.splice(i, 1);
      void worker.terminate();
    }, IDLE_MS);
    timer.unref();
    this.idle.push({ worker, timer });
  }

  private train(a: Active, data: TableData): Promise<{ ok: true; result: TrainResult } | { ok: false; message: string }> {
    const { job } = a;
    const { data: payload, transfer } = tableForTransfer(data);
    const input: JobInput = {
      jobId: job.runId,
      modelType: job.modelType,
      configuration: job.configuration,
      seed: job.seed,
      threads: this.options.threads,
      data: payload,
    };
    const worker = this.acquire();
    a.worker = worker;
    return new Promise((resolve) => {
      const detach = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      /** `reusable`: the worker finished the job normally and can take the next one. */
      const settle = (v: { ok: true; result: TrainResult } | { ok: false; message: string }, reusable: boolean) => {
        detach();
        if (reusable && !a.cancelled) this.putBack(worker);
        else void worker.terminate();
        resolve(v);
      };
      const onMessage = (m: WorkerMessage) => {
        if (m.jobId !== job.runId) return;
        if (m.kind === 'progress') this.options.hooks.onProgress(job.runId, m.stage, m.fraction);
        else if (m.kind === 'done') settle({ ok: true, result: m.result }, true);
        else if (m.kind === 'error') settle({ ok: false, message: m.message }, true);
      };
      const onError = (e: Error) => settle({ ok: false, message: `the training crashed: ${e.message}` }, false);
      const onExit = (code: number) =>
        settle({ ok: false, message: a.cancelled ? 'cancelled' : `the training process stopped unexpectedly (exit code ${code})` }, false);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const message: ToWorker = { kind: 'train', input };
      worker.postMessage(message, transfer);
    });
  }
}
