// Large prediction batches run in a worker thread, one batch at a time, so a big predict call (the
// engines explain every row unless told not to) never blocks the server's event loop; small ones stay on the caller.
import type { Worker } from 'node:worker_threads';
import { LatheError, type ErrorCode } from '../domain/errors.js';
import type { PredictionOutput } from '../engines/seam.js';
import type { PredictInput, ToWorker, WorkerMessage } from './messages.js';
import { spawnWorker } from './spawn-worker.js';

const IDLE_MS = 60_000;
const CODES: readonly string[] = ['NOT_FOUND', 'CONFLICT', 'INVALID_TRANSITION', 'INVALID_INPUT', 'INVALID_CONFIGURATION', 'INVALID_DATA', 'PAYLOAD_TOO_LARGE', 'INTERNAL'];

interface Pending {
  input: PredictInput;
  resolve(results: PredictionOutput[]): void;
  reject(e: unknown): void;
}

export class PredictionPool {
  private worker: Worker | null = null;
  private readonly queue: Pending[] = [];
  private current: Pending | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private nextId = 0;

  constructor(private readonly engineModules: string[]) {}

  /** Predicts `rows` with the version whose (already verified) artifact is given. */
  predict(input: Omit<PredictInput, 'jobId'>): Promise<PredictionOutput[]> {
    if (this.stopped) return Promise.reject(new LatheError('INTERNAL', 'Lathe is shutting down; try again when it is back.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ input: { ...input, jobId: `p${this.nextId++}` }, resolve, reject });
      this.pump();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const shuttingDown = () => new LatheError('INTERNAL', 'Lathe is shutting down; try again when it is back.');
    for (const p of this.queue.splice(0)) p.reject(shuttingDown());
    this.current?.reject(shuttingDown());
    this.current = null;
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current || this.queue.length === 0 || this.stopped) return;
    const job = this.queue.shift()!;
    this.current = job;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.ensureWorker();
    worker.ref();
    const message: ToWorker = { kind: 'predict', input: job.input };
    worker.postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker({ engineModules: this.engineModules });
    worker.on('message', (m: WorkerMessage) => {
      const job = this.current;
      if (!job || m.jobId !== job.input.jobId) return;
      if (m.kind === 'predicted') this.finish(() => job.resolve(m.results));
      else if (m.kind === 'error') {
        const code = m.code && CODES.includes(m.code) ? (m.code as ErrorCode) : 'INTERNAL';
        this.finish(() => job.reject(new LatheError(code, m.message, m.details)));
      }
    });
    worker.on('exit', (code) => {
      // Workers ended on purpose (idle, stop) are no longer `this.worker`; only a crash gets here.
      if (this.worker !== worker) return;
      this.worker = null;
      const job = this.current;
      if (job) this.finish(() => job.reject(new LatheError('INTERNAL', `The prediction worker stopped unexpectedly (exit code ${code}). Try again.`)));
    });
    this.worker = worker;
    return worker;
  }

  private finish(settle: () => void): void {
    this.current = null;
    settle();
    if (this.queue.length > 0) {
      this.pump();
      return;
    }
    this.worker?.unref();
    const worker = this.worker;
    this.idleTimer = setTimeout(() => {
      if (this.worker === worker && !this.current) {
        this.worker = null;
        void worker?.terminate();
      }
    }, IDLE_MS);
    this.idleTimer.unref();
  }
}
