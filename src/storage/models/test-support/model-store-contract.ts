// The behaviour every ModelStore implementation must show, as one vitest suite: each dialect's
// test file runs it against a real database (no mocks), the way Hono runs one suite per router.
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../domain/lifecycle.js';
import type { ModelState } from '../../../domain/model-state.js';
import type { ModelStore, RunRecord, VersionRecord } from '../model-store.js';

const NOW = '2026-01-01T00:00:00.000Z';

function newState(id: string): ModelState {
  return createModel({ id, name: `Model ${id}`, type: 'prediction', owner: 'local', now: NOW, configuration: { tableId: 't' } }).state;
}

const event = (type: string, version: number | null = null) => ({ at: NOW, actor: 'local', type, version, message: type, details: { k: 1 } });

function version(modelId: string, v: number): VersionRecord {
  return {
    modelId, version: v, kind: 'train', basedOn: null, configuration: { tableId: 't', nested: { a: [1, 2] } },
    table: { id: 't', name: 'T', revision: 1, digest: 'd', rowCount: 10 }, trainedAt: NOW, trainedBy: 'local', durationMs: 12.5, runId: 'r1',
    score: { kind: 'score', value: 90 }, metrics: { accuracy: 0.9 }, influence: [{ column: 'x', share: 1 }], rows: { total: 10, training: 8, test: 2 },
    split: { method: 'm' }, warnings: [{ code: 'W', message: 'w' }], summary: { s: 1 }, details: { chart: [1, 2, 3] }, artifact: { bytes: 5, sha256: 'ab' },
  };
}

function run(modelId: string, id: string, status: RunRecord['status'] = 'queued'): RunRecord {
  return {
    id, modelId, kind: 'train', status, stage: 'queued', progress: 0, version: null, error: null, createdAt: NOW, startedAt: null, finishedAt: null,
    actor: 'local', basedOn: null, configuration: { tableId: 't' }, tableId: 't', tableRevision: 3, seed: 42, owner: 'host:1',
  };
}

export function modelStoreContract(name: string, open: () => Promise<{ store: ModelStore; close(): Promise<void> }>): void {
  describe(`ModelStore contract: ${name}`, () => {
    it('stores a model state and gives it back exactly, with revision 1', async () => {
      const { store, close } = await open();
      const state = newState('m1');
      await store.createModel(state, [event('created')]);
      expect(await store.getState('m1')).toEqual({ state, revision: 1 });
      expect(await store.getState('nope')).toBeUndefined();
      expect((await store.listEvents('m1')).map((e) => e.type)).toEqual(['created']);
      await close();
    });

    it('commits state, events, versions and runs together and bumps the revision', async () => {
      const { store, close } = await open();
      await store.createModel(newState('m1'), []);
      const s = (await store.getState('m1'))!;
      const next = { ...s.state, name: 'Renamed', nextVersion: 2 };
      const rev = await store.commit({ modelId: 'm1', expectedRevision: 1, state: next, events: [event('a'), event('b', 1)], versions: [version('m1', 1)], insertRuns: [run('m1', 'r1')] });
      expect(rev).toBe(2);
      expect(await store.getState('m1')).toEqual({ state: next, revision: 2 });
      expect(await store.getVersion('m1', 1)).toEqual(version('m1', 1));
      expect(await store.getRun('r1')).toEqual(run('m1', 'r1'));
      expect((await store.listEvents('m1')).map((e) => [e.type, e.version, e.details])).toEqual([['a', null, { k: 1 }], ['b', 1, { k: 1 }]]);
      await store.commit({ modelId: 'm1', expectedRevision: 2, state: next, events: [], updateRuns: [{ id: 'r1', patch: { status: 'running', startedAt: NOW } }] });
      expect(await store.getRun('r1')).toMatchObject({ status: 'running', startedAt: NOW, stage: 'queued' });
      await close();
    });

    it('refuses a commit whose revision is stale with CONFLICT and writes none of it', async () => {
      const { store, close } = await open();
      await store.createModel(newState('m1'), []);
      const s = (await store.getState('m1'))!;
      await store.commit({ modelId: 'm1', expectedRevision: 1, state: { ...s.state, name: 'A' }, events: [] });
      await expect(
        store.commit({ modelId: 'm1', expectedRevision: 1, state: { ...s.state, name: 'B' }, events: [event('lost')], versions: [version('m1', 1)], insertRuns: [run('m1', 'r9')] }),
      ).rejects.toMatchObject({ code: 'CONFLICT', message: 'Model m1 was changed by another request; reload and try again.' });
      expect((await store.getState('m1'))!.state.name).toBe('A');
      expect(await store.listEvents('m1')).toEqual([]);
      expect(await store.listVersions('m1')).toEqual([]);
      expect(await store.getRun('r9')).toBeUndefined();
      await close();
    });

    it('stores progress only for runs still queued or running', async () => {
      const { store, close } = await open();
      await store.createModel(newState('m1'), []);
      await store.commit({ modelId: 'm1', expectedRevision: 1, state: newState('m1'), events: [], insertRuns: [run('m1', 'live'), run('m1', 'ended', 'succeeded')] });
      await store.updateRunProgress('live', 'training', 0.5);
      await store.updateRunProgress('ended', 'training', 0.5);
      expect(await store.getRun('live')).toMatchObject({ stage: 'training', progress: 0.5 });
      expect(await store.getRun('ended')).toMatchObject({ stage: 'queued', progress: 0 });
      expect((await store.listRuns({ statuses: ['queued', 'running'] })).map((r) => r.id)).toEqual(['live']);
      expect((await store.listRuns({ modelId: 'm1' })).map((r) => r.id).sort()).toEqual(['ended', 'live']);
      await close();
    });

    it('deletes a model with its versions, events and runs, and only that model', async () => {
      const { store, close } = await open();
      for (const id of ['m1', 'm2']) {
        await store.createModel(newState(id), [event('created')]);
        await store.commit({ modelId: id, expectedRevision: 1, state: newState(id), events: [event('x')], versions: [version(id, 1)], insertRuns: [run(id, `r-${id}`)] });
      }
      await expect(store.deleteModel('m1', 1)).rejects.toMatchObject({ code: 'CONFLICT' });
      await store.deleteModel('m1', 2);
      expect(await store.getState('m1')).toBeUndefined();
      expect(await store.listVersions('m1')).toEqual([]);
      expect(await store.listEvents('m1')).toEqual([]);
      expect(await store.getRun('r-m1')).toBeUndefined();
      expect((await store.listStates()).map((s) => s.state.id)).toEqual(['m2']);
      expect(await store.listVersions('m2')).toHaveLength(1);
      await close();
    });
  });
}
