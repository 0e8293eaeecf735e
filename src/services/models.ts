// Model services: one function per lifecycle action. Every state change goes load → `decide` →
// one compare-and-set transaction, serialized per model; training runs go through the runner.
import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import type { z } from 'zod';
import type { Comparison, History, Model, QuickTestResult, Version } from '../contract/models.js';
import { MAX_PREDICT_ROWS } from '../contract/models.js';
import type { Run } from '../contract/runs.js';
import { availableActions } from '../domain/available-actions.js';
import { isLatheError, LatheError, notFound } from '../domain/errors.js';
import { createModel, decide, type Action, type Context, type Decision } from '../domain/lifecycle.js';
import { liveVersions, MODEL_TYPES, type Configuration, type HistoryEvent, type ModelState, type ModelType, type SlotName } from '../domain/model-state.js';
import { createEngineRegistry, type EngineRegistry } from '../engines/registry.js';
import type { CheckReport, Engine, Predictor, TableShape, TrainResult } from '../engines/seam.js';
import { createArtifactStore, type ArtifactStore } from '../storage/artifacts.js';
import type { EventRecord, ModelStore, RunPatch, RunRecord, StateChange, StoredState, TableRefRecord, VersionRecord } from '../storage/models/model-store.js';
import { createSqlModelStore } from '../storage/models/sql-model-store.js';
import type { Storage } from '../storage/open-store.js';
import type { CellInput, RowInput, TableData } from '../tables/table-data.js';
import { loadEngineModules } from '../training/engine-modules.js';
import { PredictionPool } from '../training/prediction-pool.js';
import { TrainingRunner } from '../training/runner.js';
import type { ModelsService } from './models-service.js';
import type { TableInfo, TablesService } from './tables.js';

export type { ModelsService } from './models-service.js';

export interface ModelsServiceOptions {
  dataDir: string;
  /** Training runs executing at once; others queue. */
  maxConcurrentRuns: number;
  /** Previously published versions whose artifacts are kept for roll back. */
  retainedVersions: number;
  /** The actor recorded in history until accounts exist. */
  user: string;
  /** Extra engines (module paths or file URLs exporting `engine`), loaded here and in every worker; they replace built-in ones of the same type. */
  engineModules?: string[];
  /** Seed of every training (same data + configuration + seed = same artifact). */
  seed?: number;
}

/** What the service needs from the tables service. */
export type TableSource = Pick<TablesService, 'get' | 'readData' | 'revisions'>;

/** Drafts on tables up to this many rows are checked against the rows; bigger ones by shape only (training checks them fully). */
export const CHECK_DATA_MAX_ROWS = 200_000;
export const INTERRUPTED = 'interrupted: the server stopped during training';
const PROGRESS_WRITE_MS = 500;
const PREDICTOR_CACHE = 16;
/** Predict calls with more rows than this run in the prediction worker, off the event loop. */
export const PREDICT_ON_THREAD_ROWS = 20;
const CHECK_CACHE = 200;
const DATA_CACHE = 2;
const SYSTEM_ACTOR = 'system';
/** A temp file younger than this may be another process's write in progress; older ones are crash leftovers. */
const TEMP_FILE_STALE_MS = 10 * 60_000;
/** This process, as recorded on the runs it executes. */
const OWNER = `${hostname()}:${process.pid}`;

/**
 * Whether the process that owns a run is still alive (another process on this host using the same
 * data folder, e.g. the CLI beside a server). A run of this very process, of another host (a
 * restarted container gets a new name) or of a dead process was left behind by a crash.
 */
function ownerAlive(owner: string | null): boolean {
  if (!owner || owner === OWNER) return false;
  const at = owner.lastIndexOf(':');
  if (owner.slice(0, at) !== hostname()) return false;
  try {
    process.kill(Number(owner.slice(at + 1)), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

type Stored = StoredState;
type QuickTest = z.infer<typeof QuickTestResult>;

/** A small least-recently-used map. */
class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: K, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  deleteWhere(pred: (k: K) => boolean): void {
    for (const k of [...this.map.keys()]) if (pred(k)) this.map.delete(k);
  }
}

const newId = (prefix: string) => prefix + randomBytes(8).toString('hex');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toRunContract(r: RunRecord): Run {
  return {
    id: r.id,
    modelId: r.modelId,
    kind: r.kind,
    status: r.status,
    stage: r.stage,
    progress: r.progress,
    version: r.version,
    error: r.error,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}

/** Where a version stands now: a slot, retained for roll back, or gone (and how it left). */
function statusOf(version: number, state: ModelState, events: { type: string; version: number | null }[]): Version['status'] {
  if (state.published?.version === version) return 'published';
  if (state.lastTrained?.version === version) return 'lastTrained';
  if (state.retained.some((r) => r.version === version)) return 'retained';
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.version !== version) continue;
    if (e.type === 'unpublished') return 'unpublished';
    if (e.type === 'replaced') return 'replaced';
  }
  return 'replaced';
}

function toVersionContract(v: VersionRecord, status: Version['status'], live: boolean, withDetails: boolean): Version {
  const out: Version = {
    modelId: v.modelId,
    version: v.version,
    kind: v.kind,
    basedOn: v.basedOn,
    configuration: v.configuration,
    table: v.table,
    trainedAt: v.trainedAt,
    trainedBy: v.trainedBy,
    durationMs: v.durationMs,
    runId: v.runId,
    score: v.score,
    metrics: v.metrics,
    influence: v.influence,
    rows: v.rows,
    split: v.split,
    warnings: v.warnings,
    summary: v.summary,
    status,
    artifact: live ? v.artifact : null,
  };
  if (withDetails) out.details = v.details;
  return out;
}

/** Leaf values by path ("a.b", arrays compared whole), for the configuration diff. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
}

function configurationDiff(a: Configuration, b: Configuration): { path: string; a: unknown; b: unknown }[] {
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  flatten(a, '', fa);
  flatten(b, '', fb);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return paths
    .filter((p) => JSON.stringify(fa.get(p)) !== JSON.stringify(fb.get(p)))
    .map((p) => ({ path: p, a: fa.has(p) ? fa.get(p) : null, b: fb.has(p) ? fb.get(p) : null }));
}

function checkCell(v: unknown, where: string): CellInput {
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new LatheError('INVALID_INPUT', `${where} must be a text, a number, true/false or null, not ${Array.isArray(v) ? 'a list' : typeof v}.`);
}

function checkRow(row: unknown, where: string): RowInput {
  if (!isObject(row)) throw new LatheError('INVALID_INPUT', `${where} must be an object of column name to value.`);
  const out: RowInput = {};
  for (const [k, v] of Object.entries(row)) out[k] = checkCell(v, `${where}, column "${k}",`);
  return out;
}

export async function createModelsService(storage: Storage, tables: TableSource, options: ModelsServiceOptions): Promise<ModelsService> {
  const store: ModelStore = createSqlModelStore(storage.db);
  const artifacts: ArtifactStore = createArtifactStore(options.dataDir);
  const engineModules = options.engineModules ?? [];
  const registry: EngineRegistry = createEngineRegistry(await loadEngineModules(engineModules));
  const seed = options.seed ?? 42;
  const maxConcurrent = Math.max(1, options.maxConcurrentRuns);

  const locks = new Map<string, Promise<unknown>>();
  const inflight = new Set<Promise<unknown>>();
  const listeners = new Map<string, Set<(run: Run) => void>>();
  /** Latest progress of runs in this process (stored at most every PROGRESS_WRITE_MS). */
  const live = new Map<string, { run: Run; lastWrite: number }>();
  /** The table revision each running run actually read, for its version record. */
  const runTables = new Map<string, TableRefRecord>();
  const predictors = new Lru<string, Predictor>(PREDICTOR_CACHE);
  /** Verified artifact bytes by model:version, for the prediction worker. */
  const artifactBytes = new Lru<string, { bytes: Uint8Array; sha256: string }>(PREDICTOR_CACHE);
  const predictionPool = new PredictionPool(engineModules);
  const checks = new Lru<string, CheckReport>(CHECK_CACHE);
  const dataCache = new Lru<string, TableData>(DATA_CACHE);
  let closed = false;

  const ctx = (): Context => ({ now: new Date().toISOString(), retainedLimit: options.retainedVersions });

  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => undefined);
    return p;
  };

  /** Runs `fn` after every earlier call for the same model: one writer per model in this process. */
  function withLock<T>(modelId: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(modelId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    locks.set(modelId, run);
    void run
      .finally(() => {
        if (locks.get(modelId) === run) locks.delete(modelId);
      })
      .catch(() => undefined);
    return track(run);
  }

  function ensureOpen(): void {
    if (closed) throw new LatheError('INTERNAL', 'The models service is closed.');
  }

  async function load(modelId: string): Promise<Stored> {
    const stored = await store.getState(modelId);
    if (!stored) throw notFound('Model', modelId);
    return stored;
  }

  const eventRecords = (events: HistoryEvent[], at: string, actor: string): EventRecord[] =>
    events.map((e) => ({ at, actor, type: e.type, version: e.version ?? null, message: e.message, details: e.details ?? {} }));

  /** Deletes released versions' files once the state no longer points at them; a leftover file is swept at the next open. */
  async function release(modelId: string, versions: number[]): Promise<void> {
    for (const v of versions) {
      predictors.deleteWhere((k) => k === `${modelId}:${v}`);
      artifactBytes.deleteWhere((k) => k === `${modelId}:${v}`);
      try {
        await artifacts.delete(modelId, v);
      } catch (e) {
        console.error(`Lathe: could not delete the file of version ${v} of model ${modelId}:`, e);
      }
    }
  }

  /**
   * The one write path of user actions: decide, then commit state + events (+ whatever `extra`
   * adds) only if nobody wrote since we read. Called under the model's lock.
   */
  async function commitDecision(
    stored: Stored,
    decision: Decision,
    c: Context,
    actor: string,
    extra: Partial<Pick<StateChange, 'versions' | 'insertRuns' | 'updateRuns'>> = {},
  ): Promise<Stored> {
    const revision = await store.commit({
      modelId: stored.state.id,
      expectedRevision: stored.revision,
      state: decision.state,
      events: eventRecords(decision.events, c.now, actor),
      ...extra,
    });
    await release(stored.state.id, decision.released);
    return { state: decision.state, revision };
  }

  /**
   * Run transitions are the system's writes, not a user's: when another process changed the model
   * between our read and our write (a lost compare-and-set), read again and decide again.
   */
  async function retryStale<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!(isLatheError(e) && e.code === 'CONFLICT' && e.details.stale === true) || attempt >= 5) throw e;
      }
    }
  }

  /** A user action that only changes the state: load → decide → commit, serialized per model. */
  async function act(modelId: string, action: Action): Promise<Model> {
    ensureOpen();
    const stored = await withLock(modelId, async () => {
      const current = await load(modelId);
      const c = ctx();
      return commitDecision(current, decide(current.state, action, c), c, options.user);
    });
    // Shaping the reply (it may check the draft against its table) happens outside the lock.
    return toModel(stored);
  }

  // ---- validation of drafts -------------------------------------------------------------------

  async function readDataCached(tableId: string, revision: number): Promise<TableData> {
    const key = `${tableId}:${revision}`;
    const hit = dataCache.get(key);
    if (hit) return hit;
    const data = await tables.readData(tableId, revision);
    dataCache.set(key, data);
    return data;
  }

  /** The engine's check of a configuration against its table; a missing table is a message, not a crash. */
  async function validate(type: ModelType, configuration: Configuration): Promise<{ report: CheckReport; table?: TableInfo }> {
    let engine: Engine;
    try {
      engine = registry.get(type);
    } catch (e) {
      if (!isLatheError(e)) throw e;
      return { report: { errors: [{ code: 'NO_ENGINE', message: e.message }], warnings: [] } };
    }
    const tableId = configuration.tableId;
    if (typeof tableId !== 'string' || tableId === '') {
      return { report: safeCheck(engine, configuration, { tableId: '', name: '', rowCount: 0, columns: [] }) };
    }
    let table: TableInfo;
    try {
      table = await tables.get(tableId);
    } catch (e) {
      if (isLatheError(e) && e.code === 'NOT_FOUND') {
        return {
          report: {
            errors: [{ code: 'TABLE_NOT_FOUND', message: `Table ${tableId} does not exist (it may have been deleted). Choose another table.`, details: { tableId } }],
            warnings: [],
          },
        };
      }
      throw e;
    }
    const key = `${type}\u0000${tableId}\u0000${table.revision}\u0000${JSON.stringify(configuration)}`;
    const cached = checks.get(key);
    if (cached) return { report: cached, table };
    const shape: TableShape = { tableId, name: table.name, rowCount: table.rowCount, columns: table.columns.map((c) => ({ name: c.name, type: c.type })) };
    const data = table.rowCount <= CHECK_DATA_MAX_ROWS ? await readDataCached(tableId, table.revision) : undefined;
    const report = safeCheck(engine, configuration, shape, data);
    checks.set(key, report);
    return { report, table };
  }

  /** Engines promise not to throw from check; if one does anyway, the draft shows it instead of failing to load. */
  function safeCheck(engine: Engine, configuration: Configuration, shape: TableShape, data?: TableData): CheckReport {
    try {
      return engine.check(configuration, shape, data);
    } catch (e) {
      return { errors: [{ code: 'CHECK_FAILED', message: `The configuration could not be checked: ${e instanceof Error ? e.message : String(e)}` }], warnings: [] };
    }
  }

  // ---- contract shapes ------------------------------------------------------------------------

  async function runContract(runId: string): Promise<Run | undefined> {
    const mem = live.get(runId);
    const rec = await store.getRun(runId);
    if (!rec) return undefined;
    const run = toRunContract(rec);
    if (mem && !TERMINAL.has(run.status)) return { ...run, stage: mem.run.stage, progress: mem.run.progress };
    return run;
  }

  async function toModel(stored: Stored): Promise<Model> {
    const s = stored.state;
    const slot = async (ref: ModelState['published'], status: 'published' | 'lastTrained') => {
      if (!ref) return null;
      const v = await store.getVersion(s.id, ref.version);
      return v ? toVersionContract(v, status, true, false) : null;
    };
    const warnings: Model['warnings'] = [];
    if (s.lastRunOutcome?.status === 'failed') {
      warnings.push({ code: 'LAST_RUN_FAILED', message: `The last training failed: ${s.lastRunOutcome.message}`, details: { runId: s.lastRunOutcome.runId } });
    }
    const validation = s.draft ? (await validate(s.type, s.draft.configuration)).report : null;
    const actions = availableActions(s, ctx(), validation?.errors ?? []);
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      type: s.type,
      owner: s.owner,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      draft: s.draft && validation ? { ...s.draft, validation } : null,
      lastTrained: await slot(s.lastTrained, 'lastTrained'),
      published: await slot(s.published, 'published'),
      rollbackVersions: s.retained.map((r) => r.version),
      activeRun: s.activeRun ? ((await runContract(s.activeRun.runId)) ?? null) : null,
      lastRunOutcome: s.lastRunOutcome,
      warnings,
      actions,
    };
  }

  // ---- runs -----------------------------------------------------------------------------------

  function notify(run: Run): void {
    const set = listeners.get(run.id);
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(run);
      } catch (e) {
        console.error('Lathe: a run listener failed:', e);
      }
    }
    if (TERMINAL.has(run.status)) listeners.delete(run.id);
  }

  async function notifyStored(runId: string): Promise<void> {
    const run = await runContract(runId);
    if (run) notify(run);
  }

  /** Ends a run that produced no version (failure, interruption) through the rules, so the model's active run is cleared. */
  async function endRunFailed(runId: string, message: string, actor: string): Promise<void> {
    const rec = await store.getRun(runId);
    if (!rec || TERMINAL.has(rec.status)) return;
    const patch: RunPatch = { status: 'failed', stage: 'failed', error: message, finishedAt: new Date().toISOString() };
    await withLock(rec.modelId, () =>
      retryStale(async () => {
        const stored = await store.getState(rec.modelId);
        if (stored?.state.activeRun?.runId === runId) {
          const c = ctx();
          await commitDecision(stored, decide(stored.state, { type: 'runFailed', runId, message }, c), c, actor, { updateRuns: [{ id: runId, patch }] });
        } else {
          await store.updateRun(runId, patch);
        }
      }),
    );
    live.delete(runId);
    runTables.delete(runId);
    await notifyStored(runId);
  }

  const runner = new TrainingRunner({
    maxConcurrent,
    threads: Math.max(1, Math.floor(availableParallelism() / maxConcurrent)),
    engineModules,
    hooks: {
      async onStart(runId) {
        const rec = await store.getRun(runId);
        if (!rec) throw notFound('Run', runId);
        const startedAt = new Date().toISOString();
        await withLock(rec.modelId, () =>
          retryStale(async () => {
            const stored = await load(rec.modelId);
            const c = ctx();
            const decision = decide(stored.state, { type: 'runStarted', runId }, c);
            await commitDecision(stored, decision, c, rec.actor, {
              updateRuns: [{ id: runId, patch: { status: 'running', stage: 'loading data', progress: 0, startedAt } }],
            });
          }),
        );
        const run = (await runContract(runId))!;
        live.set(runId, { run, lastWrite: Date.now() });
        notify(run);
      },

      onProgress(runId, stage, fraction) {
        const mem = live.get(runId);
        if (!mem) return;
        mem.run = { ...mem.run, stage, progress: fraction };
        notify(mem.run);
        const now = Date.now();
        if (now - mem.lastWrite >= PROGRESS_WRITE_MS) {
          mem.lastWrite = now;
          void track(store.updateRunProgress(runId, stage, fraction)).catch((e) => console.error('Lathe: storing progress failed:', e));
        }
      },

      async onSuccess(runId, result, timing) {
        await storeSuccess(runId, result, timing);
      },

      async onFailure(runId, message) {
        await endRunFailed(runId, message, (await store.getRun(runId))?.actor ?? SYSTEM_ACTOR);
      },
    },
  });

  /** Artifact file first, then version row + state + events + run in one transaction; the file goes if that fails. */
  async function storeSuccess(runId: string, result: TrainResult, timing: { startedAt: number; finishedAt: number }): Promise<void> {
    const rec = await store.getRun(runId);
    const table = runTables.get(runId);
    if (!rec) return;
    if (!table) {
      await endRunFailed(runId, 'the table revision the run read was not recorded (an internal error); train again', rec.actor);
      return;
    }
    /** The version whose file is on disk, if any (re-decided after a lost compare-and-set). */
    let written: { version: number; info: { bytes: number; sha256: string } } | null = null;
    await withLock(rec.modelId, () => retryStale(async () => {
      const stored = await store.getState(rec.modelId);
      if (!stored) return;
      const c = ctx();
      let decision: Decision;
      try {
        decision = decide(stored.state, { type: 'runSucceeded', runId }, c);
      } catch (e) {
        if (isLatheError(e) && e.code === 'CONFLICT') {
          // Cancelled while the result was on its way: nothing of it is kept.
          if (written) await artifacts.delete(rec.modelId, written.version);
          return;
        }
        throw e;
      }
      const version = decision.version!;
      if (written?.version !== version) {
        if (written) await artifacts.delete(rec.modelId, written.version);
        written = { version, info: await artifacts.write(rec.modelId, version, result.artifact) };
      }
      const info = written.info;
      const ev = result.evaluation;
      const record: VersionRecord = {
        modelId: rec.modelId,
        version,
        kind: rec.kind,
        basedOn: rec.basedOn,
        configuration: rec.configuration,
        table,
        trainedAt: new Date(timing.finishedAt).toISOString(),
        trainedBy: rec.actor,
        durationMs: timing.finishedAt - timing.startedAt,
        runId,
        score: ev.score as unknown as Record<string, unknown>,
        metrics: ev.metrics,
        influence: ev.influence,
        rows: ev.rows,
        split: ev.split,
        warnings: result.warnings,
        summary: result.summary,
        details: ev.details,
        artifact: info,
      };
      try {
        await commitDecision(stored, decision, c, rec.actor, {
          versions: [record],
          updateRuns: [{ id: runId, patch: { status: 'succeeded', stage: 'done', progress: 1, version, finishedAt: c.now } }],
        });
      } catch (e) {
        // A lost compare-and-set is retried with the file kept; any other failure removes it.
        if (!(isLatheError(e) && e.details.stale === true)) {
          await artifacts.delete(rec.modelId, version);
          written = null;
        }
        throw e;
      }
    })).catch(async (e) => {
      if (written) await artifacts.delete(rec.modelId, written.version).catch(() => undefined);
      // Storing the result failed (disk full, database error): the run fails, the model keeps its slots.
      await endRunFailed(runId, `the trained model could not be saved: ${e instanceof Error ? e.message : String(e)}`, rec.actor);
    });
    live.delete(runId);
    runTables.delete(runId);
    await notifyStored(runId);
  }

  function enqueue(rec: RunRecord, type: ModelType): void {
    runner.enqueue({
      runId: rec.id,
      modelType: type,
      configuration: rec.configuration,
      seed: rec.seed,
      loadData: async () => {
        // The draft check may just have read this revision; reuse it rather than read it twice.
        const data = dataCache.get(`${rec.tableId}:${rec.tableRevision}`) ?? (await tables.readData(rec.tableId, rec.tableRevision));
        // A run cancelled while its data loaded has left `live`; it needs no record.
        if (live.has(rec.id)) runTables.set(rec.id, { id: data.tableId, name: data.name, revision: data.revision, digest: data.digest, rowCount: data.rowCount });
        return data;
      },
    });
  }

  /** Creates the run row together with the state that points at it, then queues it. */
  async function startRun(stored: Stored, decision: Decision, c: Context, table: TableInfo): Promise<Run> {
    const active = decision.state.activeRun!;
    const rec: RunRecord = {
      id: active.runId,
      modelId: stored.state.id,
      kind: active.kind,
      status: 'queued',
      stage: 'queued',
      progress: 0,
      version: null,
      error: null,
      createdAt: c.now,
      startedAt: null,
      finishedAt: null,
      actor: options.user,
      basedOn: active.basedOn,
      configuration: active.configuration,
      tableId: table.id,
      tableRevision: table.revision,
      seed,
      owner: OWNER,
    };
    await commitDecision(stored, decision, c, options.user, { insertRuns: [rec] });
    enqueue(rec, stored.state.type);
    return toRunContract(rec);
  }

  /** Runs a crashed process left queued or running end failed; files no state points at are removed. */
  async function recover(): Promise<void> {
    for (const rec of await store.listRuns({ statuses: ['queued', 'running'] })) {
      if (!ownerAlive(rec.owner)) await endRunFailed(rec.id, INTERRUPTED, SYSTEM_ACTOR);
    }
    for (const modelId of await artifacts.modelIds()) {
      const stored = await store.getState(modelId);
      if (!stored) {
        // Files of a deleted model (the process stopped between the delete and the file removal).
        await artifacts.deleteModel(modelId);
        continue;
      }
      const keep = new Set(liveVersions(stored.state).map((v) => `${v}.bin`));
      for (const name of await artifacts.list(modelId)) {
        const m = /^(\d+)\.bin$/.exec(name);
        // Only versions already committed (below nextVersion) are known to be released; temp files are
        // leftovers of writes a crash interrupted.
        const released = m && !keep.has(name) && Number(m[1]) < stored.state.nextVersion;
        if (released) await artifacts.delete(modelId, Number(m[1]));
        else if (name.endsWith('.tmp') && Date.now() - (await artifacts.modifiedAt(modelId, name)) > TEMP_FILE_STALE_MS) {
          await artifacts.removeTemp(modelId, name);
        }
      }
    }
  }

  /** A version's artifact, read from disk and checked against its recorded sha256 (then kept a while). */
  async function artifactOf(state: ModelState, version: number): Promise<{ bytes: Uint8Array; sha256: string }> {
    const key = `${state.id}:${version}`;
    const hit = artifactBytes.get(key);
    if (hit) return hit;
    const rec = await store.getVersion(state.id, version);
    if (!rec) throw notFound(`Version ${version} of model`, state.id);
    const verified = { bytes: await artifacts.read(state.id, version, rec.artifact.sha256), sha256: rec.artifact.sha256 };
    artifactBytes.set(key, verified);
    return verified;
  }

  async function predictorFor(state: ModelState, version: number): Promise<Predictor> {
    const key = `${state.id}:${version}`;
    const hit = predictors.get(key);
    if (hit) return hit;
    const predictor = registry.get(state.type).load((await artifactOf(state, version)).bytes);
    predictors.set(key, predictor);
    return predictor;
  }

  /** Predicts on this thread for a handful of rows, in the prediction worker for bigger batches. */
  async function predictRows(state: ModelState, version: number, rows: RowInput[]) {
    if (rows.length <= PREDICT_ON_THREAD_ROWS) return (await predictorFor(state, version)).predict(rows);
    const { bytes, sha256 } = await artifactOf(state, version);
    return predictionPool.predict({ modelType: state.type, predictorKey: `${state.id}:${version}:${sha256}`, artifact: bytes, rows });
  }

  await recover();

  // ---- the service ----------------------------------------------------------------------------

  const service: ModelsService = {
    async list() {
      const out: Model[] = [];
      for (const stored of await store.listStates()) out.push(await toModel(stored));
      return out;
    },

    async get(modelId) {
      return toModel(await load(modelId));
    },

    async create(input) {
      ensureOpen();
      if (!MODEL_TYPES.includes(input.type)) {
        throw new LatheError('INVALID_INPUT', `"${String(input.type)}" is not a model type. Use one of: ${MODEL_TYPES.join(', ')}.`, { field: 'type' });
      }
      if (input.configuration !== undefined && !isObject(input.configuration)) {
        throw new LatheError('INVALID_INPUT', 'The configuration must be an object.', { field: 'configuration' });
      }
      const c = ctx();
      const decision = createModel({
        id: newId('mdl_'),
        name: input.name,
        type: input.type,
        owner: options.user,
        description: input.description,
        configuration: input.configuration,
        now: c.now,
      });
      return toModel(await store.createModel(decision.state, eventRecords(decision.events, c.now, options.user)));
    },

    update(modelId, input) {
      return act(modelId, { type: 'rename', name: input.name, description: input.description });
    },

    async saveDraft(modelId, configuration) {
      if (!isObject(configuration)) throw new LatheError('INVALID_INPUT', 'The configuration must be an object.', { field: 'configuration' });
      return act(modelId, { type: 'editDraft', configuration });
    },

    discardDraft: (modelId) => act(modelId, { type: 'discardDraft' }),
    newVersion: (modelId, from) => act(modelId, { type: 'newVersion', from }),
    publish: (modelId) => act(modelId, { type: 'publish' }),
    unpublish: (modelId) => act(modelId, { type: 'unpublish' }),
    rollback: (modelId, version) => act(modelId, { type: 'rollback', version }),

    async train(modelId) {
      ensureOpen();
      return withLock(modelId, async () => {
        const stored = await load(modelId);
        const configuration = stored.state.draft?.configuration ?? {};
        // The check needs the table; without a draft, `decide` refuses before looking at it.
        const checked = stored.state.draft ? await validate(stored.state.type, configuration) : { report: { errors: [], warnings: [] } };
        const c = ctx();
        const decision = decide(stored.state, { type: 'train', runId: newId('run_'), draftErrors: checked.report.errors }, c);
        if (!checked.table) {
          // Only reachable if an engine's check forgets to require a table.
          throw new LatheError('INVALID_CONFIGURATION', 'The draft cannot be trained yet: choose the table to learn from.', {
            errors: [{ code: 'NO_TABLE', message: 'Choose the table to learn from.' }],
          });
        }
        // The revision checked is the revision trained: the run sees exactly the rows current now.
        return startRun(stored, decision, c, checked.table);
      });
    },

    async retrain(modelId, from) {
      ensureOpen();
      return withLock(modelId, async () => {
        const stored = await load(modelId);
        const c = ctx();
        const decision = decide(stored.state, { type: 'retrain', runId: newId('run_'), from }, c);
        const tableId = String(decision.state.activeRun!.configuration.tableId ?? '');
        let table: TableInfo;
        try {
          table = await tables.get(tableId);
        } catch (e) {
          if (isLatheError(e) && e.code === 'NOT_FOUND') {
            throw new LatheError('INVALID_CONFIGURATION', `The table this model was trained on (${tableId}) no longer exists, so it cannot be retrained. Create a new version on another table.`, {
              errors: [{ code: 'TABLE_NOT_FOUND', message: e.message }],
            });
          }
          throw e;
        }
        return startRun(stored, decision, c, table);
      });
    },

    async inputs(modelId, slot) {
      const { state } = await load(modelId);
      const decision = decide(state, { type: 'quickTest', version: slot }, ctx());
      return (await predictorFor(state, decision.version!)).inputs;
    },

    async quickTest(modelId, input): Promise<QuickTest> {
      const row = checkRow(input?.input, 'The quick test input');
      const { state } = await load(modelId);
      const decision = decide(state, { type: 'quickTest', version: input.version }, ctx());
      const version = decision.version!;
      const slot: SlotName = state.lastTrained?.version === version ? 'lastTrained' : 'published';
      const [result] = (await predictorFor(state, version)).predict([row]);
      return { version, slot, result };
    },

    async predict(modelId, rows) {
      if (!Array.isArray(rows) || rows.length === 0) throw new LatheError('INVALID_INPUT', 'Send at least one row to predict.', { field: 'rows' });
      if (rows.length > MAX_PREDICT_ROWS) {
        throw new LatheError('INVALID_INPUT', `At most ${MAX_PREDICT_ROWS.toLocaleString('en-US')} rows can be predicted per call; this request has ${rows.length}. Split it into smaller batches.`, {
          field: 'rows',
          max: MAX_PREDICT_ROWS,
        });
      }
      const checked = rows.map((r, i) => checkRow(r, `Row ${i + 1}`));
      const { state } = await load(modelId);
      const decision = decide(state, { type: 'predict' }, ctx());
      const version = decision.version!;
      return { modelId, version, results: await predictRows(state, version, checked) };
    },

    async history(modelId): Promise<z.infer<typeof History>> {
      const { state } = await load(modelId);
      const events = await store.listEvents(modelId);
      const liveSet = new Set(liveVersions(state));
      const versions = (await store.listVersions(modelId)).map((v) => toVersionContract(v, statusOf(v.version, state, events), liveSet.has(v.version), false));
      return { versions, events: events.map((e) => ({ at: e.at, actor: e.actor, type: e.type, version: e.version, message: e.message, details: e.details })) };
    },

    async version(modelId, version) {
      const { state } = await load(modelId);
      const rec = await store.getVersion(modelId, version);
      if (!rec) throw new LatheError('NOT_FOUND', `Model ${modelId} has no version ${version}.`, { what: 'Version', id: version });
      const events = await store.listEvents(modelId);
      return toVersionContract(rec, statusOf(version, state, events), liveVersions(state).includes(version), true);
    },

    async compare(modelId, a, b): Promise<z.infer<typeof Comparison>> {
      const [va, vb] = [await service.version(modelId, a), await service.version(modelId, b)];
      const sameTable = va.table.id === vb.table.id;
      const data: z.infer<typeof Comparison>['data'] = { sameTable, revisions: [va.table.revision, vb.table.revision], rowsAdded: null, rowsRemoved: null };
      if (!sameTable) {
        data.note = `The versions were trained on different tables ("${va.table.name}" and "${vb.table.name}").`;
      } else if (va.table.revision === vb.table.revision) {
        data.rowsAdded = 0;
        data.rowsRemoved = 0;
      } else {
        const [lo, hi] = va.table.revision < vb.table.revision ? [va.table, vb.table] : [vb.table, va.table];
        let revisions: Awaited<ReturnType<TableSource['revisions']>> | null = null;
        try {
          revisions = await tables.revisions(lo.id);
        } catch (e) {
          if (!(isLatheError(e) && e.code === 'NOT_FOUND')) throw e;
        }
        if (!revisions) {
          data.note = `Table "${lo.name}" no longer exists, so the rows added or removed between revisions ${lo.revision} and ${hi.revision} are unknown.`;
        } else {
          // Appends (and type changes) only add rows at the end; a replace swaps the whole table.
          const between = revisions.filter((r) => r.revision > lo.revision && r.revision <= hi.revision);
          const extends_ = between.length > 0 && between.every((r) => r.kind === 'append' || r.kind === 'retype');
          if (extends_) {
            const grown = hi.rowCount - lo.rowCount;
            const forward = va.table.revision < vb.table.revision;
            data.rowsAdded = forward ? grown : 0;
            data.rowsRemoved = forward ? 0 : grown;
          } else {
            data.note = `The table's rows were replaced between revisions ${lo.revision} and ${hi.revision} (${lo.rowCount} rows then, ${hi.rowCount} rows after), so rows added and removed cannot be counted.`;
          }
        }
      }
      const names = [...new Set([...Object.keys(va.metrics), ...Object.keys(vb.metrics)])].sort();
      const metrics = names.map((m) => {
        const x = va.metrics[m] ?? null;
        const y = vb.metrics[m] ?? null;
        return { metric: m, a: x, b: y, delta: x !== null && y !== null ? y - x : null };
      });
      return { a: va, b: vb, configuration: configurationDiff(va.configuration, vb.configuration), data, metrics };
    },

    async delete(modelId) {
      ensureOpen();
      await withLock(modelId, async () => {
        const stored = await load(modelId);
        decide(stored.state, { type: 'delete' }, ctx());
        await store.deleteModel(modelId, stored.revision);
        predictors.deleteWhere((k) => k.startsWith(`${modelId}:`));
        artifactBytes.deleteWhere((k) => k.startsWith(`${modelId}:`));
        await artifacts.deleteModel(modelId);
      });
    },

    async getRun(runId) {
      const run = await runContract(runId);
      if (!run) throw notFound('Run', runId);
      return run;
    },

    async cancelRun(runId) {
      ensureOpen();
      const rec = await store.getRun(runId);
      if (!rec) throw notFound('Run', runId);
      await withLock(rec.modelId, async () => {
        const current = await store.getRun(runId);
        if (!current || TERMINAL.has(current.status)) {
          throw new LatheError('INVALID_TRANSITION', `Run ${runId} has already ended (${current?.status ?? 'deleted'}); there is nothing to cancel.`, { runId });
        }
        const stored = await load(rec.modelId);
        const c = ctx();
        decide(stored.state, { type: 'cancel' }, c);
        const decision = decide(stored.state, { type: 'runCancelled', runId }, c);
        runner.cancel(runId);
        await commitDecision(stored, decision, c, options.user, {
          updateRuns: [{ id: runId, patch: { status: 'cancelled', stage: 'cancelled', finishedAt: c.now } }],
        });
      });
      live.delete(runId);
      runTables.delete(runId);
      await notifyStored(runId);
      return service.getRun(runId);
    },

    subscribeRun(runId, listener) {
      let set = listeners.get(runId);
      if (!set) listeners.set(runId, (set = new Set()));
      set.add(listener);
      // The subscriber first hears where the run stands now (it may already have ended).
      void runContract(runId).then((run) => {
        if (run && listeners.get(runId)?.has(listener)) {
          listener(run);
          if (TERMINAL.has(run.status)) listeners.get(runId)?.delete(listener);
        }
      });
      return () => {
        listeners.get(runId)?.delete(listener);
      };
    },

    async waitForRun(runId) {
      await service.getRun(runId);
      return new Promise<Run>((resolve) => {
        const stop = service.subscribeRun(runId, (run) => {
          if (TERMINAL.has(run.status)) {
            stop();
            resolve(run);
          }
        });
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      const mine = [...runner.running(), ...runner.queued()];
      await runner.stop();
      await predictionPool.stop();
      // Runs this process was executing end now, rather than at the next open.
      for (const runId of mine) {
        await endRunFailed(runId, INTERRUPTED, SYSTEM_ACTOR).catch((e) => console.error('Lathe: ending a run at close failed:', e));
      }
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
  };
  return service;
}
