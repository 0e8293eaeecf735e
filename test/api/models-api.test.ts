// The models API over real HTTP on a real SQLite file: the whole lifecycle, refusals with their
// status and code, the run event stream, body limits, the OpenAPI document, racing publishes.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient, type LatheClient } from '../../src/client/index.js';
import type { RunReply } from '../../src/client/models.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openLathe, type Lathe } from '../../src/services/lathe.js';
import { importCsv, readSse, STUMP_ENGINE, thresholdCsv } from './support.js';

let dir: string;
let lathe: Lathe;
let server: RunningServer;
let client: LatheClient;
let tableId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-api-'));
  lathe = await openLathe({ dataDir: dir, maxConcurrentRuns: 2 }, { engineModules: [STUMP_ENGINE] });
  server = await startServer(lathe, { port: 0, host: '127.0.0.1' });
  client = createClient({ baseUrl: server.url });
  tableId = await importCsv(client, 'threshold', thresholdCsv(200));
});

afterAll(async () => {
  await server?.close();
  await lathe?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The ApiError a call fails with (the test fails if it succeeds). */
async function refusal(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('the call succeeded but a refusal was expected');
}

/**
 * Sends a body with node:http, which reports the answer as soon as it arrives even while the body
 * is still being written (fetch fails when a server answers 413 early and closes the connection).
 * `chunked`: no content-length, so the server must count the bytes as they come. A fresh connection
 * each time: the server closes one whose over-limit body it did not read.
 */
function rawSend(method: string, url: string, body: string, chunked: boolean): Promise<{ status: number; body: string }> {
  const bytes = Buffer.from(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json' };
  if (chunked) headers['transfer-encoding'] = 'chunked';
  else headers['content-length'] = bytes.length;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method, headers, agent: false }, (res) => {
      answered = true;
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    // The server may close while the rest of the body is still on its way: only an error before the answer counts.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    for (let at = 0; at < bytes.length; at += 64 * 1024) req.write(bytes.subarray(at, at + 64 * 1024));
    req.end();
  });
}

const post = (path: string, body: string, contentType = 'application/json') =>
  fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': contentType } });

async function trainedModel(name: string, extra: Record<string, unknown> = {}) {
  const model = await client.models.create({ name, type: 'prediction', configuration: { tableId, target: 'y', ...extra } });
  const run = await client.models.train(model.id);
  const final = await client.models.waitForRun(run.id);
  expect(final.status).toBe('succeeded');
  return model.id;
}

describe('the models API', () => {
  it('creates a model with a draft whose validation says what blocks training', async () => {
    const res = await post('/api/models', JSON.stringify({ name: 'Unconfigured', type: 'prediction' }));
    expect(res.status).toBe(201);
    const model = await res.json();
    expect(model.name).toBe('Unconfigured');
    expect(model.draft).not.toBeNull();
    expect(model.draft.validation.errors.length).toBeGreaterThan(0);
    expect(model.published).toBeNull();

    const saved = await client.models.saveDraft(model.id, { tableId, target: 'y' });
    expect(saved.draft?.validation.errors).toEqual([]);
    expect(saved.draft?.configuration).toEqual({ tableId, target: 'y' });
    expect((await client.models.list()).map((m) => m.id)).toContain(model.id);
  });

  it('walks the whole lifecycle: train, publish, test, predict, new version, roll back, compare, delete', async () => {
    const created = await client.models.create({ name: 'High or low', type: 'prediction', description: 'x decides', configuration: { tableId, target: 'y' } });
    const id = created.id;

    const run = await client.models.train(id);
    expect(['queued', 'running']).toContain(run.status);
    const seen: RunReply[] = [];
    const final = await client.models.waitForRun(run.id, (r) => seen.push(r));
    expect(final.status).toBe('succeeded');
    expect(final.version).toBe(1);
    expect(seen.at(-1)?.status).toBe('succeeded');

    let model = await client.models.get(id);
    expect(model.draft).toBeNull();
    expect(model.lastTrained?.version).toBe(1);
    expect(model.lastTrained?.status).toBe('lastTrained');
    expect(model.published).toBeNull();

    model = await client.models.publish(id);
    expect(model.published?.version).toBe(1);
    expect(model.lastTrained).toBeNull();

    const fields = await client.models.inputs(id, 'published');
    expect(fields.map((f) => f.name)).toContain('x');
    const low = await client.models.quickTest(id, { version: 'published', input: { x: 3, colour: 'red' } });
    expect(low).toMatchObject({ version: 1, slot: 'published' });
    expect(low.result.prediction).toBe('low');

    const predicted = await client.models.predict(id, [{ x: 190, colour: 'blue' }, { x: 1, colour: 'green' }]);
    expect(predicted.version).toBe(1);
    expect(predicted.results.map((r) => r.prediction)).toEqual(['high', 'low']);

    model = await client.models.newVersion(id, 'published');
    expect(model.draft?.basedOn).toBe(1);
    model = await client.models.saveDraft(id, { ...model.draft!.configuration, features: ['x'] });
    const run2 = await client.models.train(id);
    expect((await client.models.waitForRun(run2.id)).version).toBe(2);
    model = await client.models.publish(id);
    expect(model.published?.version).toBe(2);
    expect(model.rollbackVersions).toContain(1);

    model = await client.models.rollback(id, 1);
    expect(model.published?.version).toBe(1);

    const history = await client.models.history(id);
    expect(history.versions.map((v) => v.version).sort()).toEqual([1, 2]);
    expect(history.events.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'trained', 'published', 'rolled-back']));

    const v1 = await client.models.version(id, 1);
    expect(v1.version).toBe(1);
    expect(v1.details).toBeDefined();
    const comparison = await client.models.compare(id, 1, 2);
    expect(comparison.a.version).toBe(1);
    expect(comparison.b.version).toBe(2);
    expect(comparison.configuration.map((d) => d.path)).toContain('features');

    model = await client.models.unpublish(id);
    expect(model.published).toBeNull();

    model = await client.models.update(id, { name: 'Renamed' });
    expect(model.name).toBe('Renamed');

    const retrain = await client.models.retrain(id, 'lastTrained');
    expect(retrain.kind).toBe('retrain');
    expect((await client.models.waitForRun(retrain.id)).status).toBe('succeeded');

    const del = await fetch(`${server.url}/api/models/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await refusal(client.models.get(id))).status).toBe(404);
  });

  it('refuses actions the rules forbid with 409 INVALID_TRANSITION and changes nothing', async () => {
    const model = await client.models.create({ name: 'Refusals', type: 'prediction', configuration: { tableId, target: 'y' } });
    const publish = await refusal(client.models.publish(model.id));
    expect([publish.status, publish.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect(publish.message.length).toBeGreaterThan(10);
    const newVersion = await refusal(client.models.newVersion(model.id));
    expect([newVersion.status, newVersion.code]).toEqual([409, 'INVALID_TRANSITION']);
    const predict = await refusal(client.models.predict(model.id, [{ x: 1 }]));
    expect([predict.status, predict.code]).toEqual([409, 'INVALID_TRANSITION']);
    const after = await client.models.get(model.id);
    expect(after.draft?.configuration).toEqual(model.draft?.configuration);
    expect(after.updatedAt).toBe(model.updatedAt);
  });

  it('refuses to train an invalid draft with 422 INVALID_CONFIGURATION naming the problem', async () => {
    const model = await client.models.create({ name: 'Bad target', type: 'prediction', configuration: { tableId, target: 'nope' } });
    expect(model.draft?.validation.errors.length).toBeGreaterThan(0);
    const err = await refusal(client.models.train(model.id));
    expect([err.status, err.code]).toEqual([422, 'INVALID_CONFIGURATION']);
    expect(err.message).toContain('nope');
  });

  it('answers unknown models, versions and runs with 404 NOT_FOUND', async () => {
    for (const call of [client.models.get('no-such-model'), client.models.history('no-such-model'), client.models.getRun('no-such-run')]) {
      const err = await refusal(call);
      expect([err.status, err.code]).toEqual([404, 'NOT_FOUND']);
    }
    const events = await fetch(`${server.url}/api/runs/no-such-run/events`);
    expect(events.status).toBe(404);
    expect((await events.json()).error.code).toBe('NOT_FOUND');
  });

  it('answers malformed requests with 400 INVALID_INPUT and the standard error body', async () => {
    const cases: [string, string][] = [
      ['/api/models', '{"name": "broken'],
      ['/api/models', JSON.stringify({ name: '', type: 'prediction' })],
      ['/api/models', JSON.stringify({ name: 'x', type: 'spaceship' })],
    ];
    for (const [path, body] of cases) {
      const res = await post(path, body);
      expect(res.status, body).toBe(400);
      const json = await res.json();
      expect(json.error.code).toBe('INVALID_INPUT');
      expect(typeof json.error.message).toBe('string');
    }
    const { id } = await client.models.create({ name: 'Malformed', type: 'prediction', configuration: { tableId, target: 'y' } });
    const rollback = await refusal(client.models.rollback(id, -2));
    expect([rollback.status, rollback.code]).toEqual([400, 'INVALID_INPUT']);
    const tooMany = await refusal(client.models.predict(id, Array.from({ length: 10_001 }, () => ({ x: 1 }))));
    expect([tooMany.status, tooMany.code]).toEqual([400, 'INVALID_INPUT']);
    for (const path of [`/api/models/${id}/versions/abc`, `/api/models/${id}/compare?a=1`, `/api/models/${id}/inputs?version=newest`]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(400);
      expect((await res.json()).error.code).toBe('INVALID_INPUT');
    }
  });

  it('answers bodies over the limit with 413 PAYLOAD_TOO_LARGE and keeps serving', async () => {
    const { id } = await client.models.create({ name: 'Limits', type: 'prediction', configuration: { tableId, target: 'y' } });
    const big = JSON.stringify({ configuration: { tableId, target: 'y', padding: 'x'.repeat(2 * 1024 * 1024) } });
    const huge = JSON.stringify({ rows: [{ x: 1, colour: 'y'.repeat(21 * 1024 * 1024) }] });
    const cases: [string, string, string, boolean][] = [
      ['PUT', `/api/models/${id}/draft`, big, false],
      // A body streamed without a declared length is counted as it arrives.
      ['PUT', `/api/models/${id}/draft`, big, true],
      ['POST', `/api/models/${id}/predict`, huge, false],
      ['POST', '/api/models', JSON.stringify({ name: 'x', type: 'prediction', description: 'd'.repeat(1024 * 1024) }), true],
    ];
    for (const [method, path, body, chunked] of cases) {
      const res = await rawSend(method, `${server.url}${path}`, body, chunked).catch((err: Error) => {
        throw new Error(`${method} ${path} chunked=${chunked}: ${err.message}`);
      });
      expect(res.status, `${method} ${path} chunked=${chunked}`).toBe(413);
      expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    }
    // Under its limit, predict takes a body far larger than ordinary requests may be.
    const published = await trainedModel('Limits published');
    await client.models.publish(published);
    const wide = Array.from({ length: 5_000 }, (_, i) => ({ x: i % 200, colour: 'c'.repeat(300) }));
    expect(JSON.stringify({ rows: wide }).length).toBeGreaterThan(1024 * 1024);
    expect((await client.models.predict(published, wide)).results).toHaveLength(5_000);
    expect((await client.models.get(id)).draft?.configuration).toEqual({ tableId, target: 'y' });
  });

  it('streams a run as server-sent events in order, ending with the final run', async () => {
    const model = await client.models.create({ name: 'Slow', type: 'prediction', configuration: { tableId, target: 'y', delayMs: 1500 } });
    const run = await client.models.train(model.id);
    const events = await readSse(`${server.url}/api/runs/${run.id}/events`);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events[0].event).toBe('progress');
    const end = events.at(-1)!;
    expect(end.event).toBe('end');
    expect(end.data.status).toBe('succeeded');
    expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.some((e) => e.data.status === 'running' && e.data.progress > 0 && e.data.progress < 1)).toBe(true);

    // An ended run's stream gives its state and `end` at once.
    const again = await readSse(`${server.url}/api/runs/${run.id}/events`);
    expect(again.map((e) => e.event)).toEqual(['progress', 'end']);
    expect(again[1].data).toEqual(end.data);
  });

  it('lets go of a run as soon as its event stream is abandoned', async () => {
    // Counts the live subscriptions the real service hands out (a wrapper, not a stand-in).
    const models = lathe.models;
    const subscribe = models.subscribeRun;
    let live = 0;
    models.subscribeRun = (runId, listener) => {
      live++;
      const off = subscribe.call(models, runId, listener);
      return () => {
        live--;
        off();
      };
    };
    try {
      const model = await client.models.create({ name: 'Watched', type: 'prediction', configuration: { tableId, target: 'y', delayMs: 3000 } });
      const run = await client.models.train(model.id);
      const abandoned = await Promise.allSettled(
        [1, 2, 3].map(() => client.models.runEvents(run.id, () => {}, AbortSignal.timeout(300))),
      );
      expect(abandoned.every((r) => r.status === 'rejected')).toBe(true);
      await expect.poll(() => live, { timeout: 2_000 }).toBe(0);
      const final = await client.models.waitForRun(run.id);
      expect(final.status).toBe('succeeded');
      await expect.poll(() => live, { timeout: 2_000 }).toBe(0);
    } finally {
      models.subscribeRun = subscribe;
    }
  });

  it('cancels a running training; the run ends cancelled and the draft stays', async () => {
    const model = await client.models.create({ name: 'Cancelled', type: 'prediction', configuration: { tableId, target: 'y', delayMs: 5000 } });
    const run = await client.models.train(model.id);
    await client.models.runEvents(run.id, () => {}, AbortSignal.timeout(300)).catch(() => {});
    const cancelled = await client.models.cancelRun(run.id);
    expect(cancelled.id).toBe(run.id);
    const final = await client.models.waitForRun(run.id);
    expect(final.status).toBe('cancelled');
    const after = await client.models.get(model.id);
    expect(after.draft?.configuration).toEqual(model.draft?.configuration);
    expect(after.lastTrained).toBeNull();
    expect(after.activeRun).toBeNull();
  });

  it('lets exactly one of two racing publishes win', async () => {
    const id = await trainedModel('Race');
    const results = await Promise.allSettled([client.models.publish(id), client.models.publish(id)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(ApiError);
    expect((lost[0].reason as ApiError).status).toBe(409);
    const model = await client.models.get(id);
    expect(model.published?.version).toBe(1);
    expect(model.lastTrained).toBeNull();
  });

  it('documents every models and runs endpoint in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const expected: [string, string][] = [
      ['post', '/api/models'],
      ['get', '/api/models'],
      ['get', '/api/models/{id}'],
      ['patch', '/api/models/{id}'],
      ['put', '/api/models/{id}/draft'],
      ['delete', '/api/models/{id}/draft'],
      ['post', '/api/models/{id}/draft/train'],
      ['post', '/api/models/{id}/versions'],
      ['post', '/api/models/{id}/retrain'],
      ['post', '/api/models/{id}/publish'],
      ['post', '/api/models/{id}/unpublish'],
      ['post', '/api/models/{id}/rollback'],
      ['post', '/api/models/{id}/quick-test'],
      ['post', '/api/models/{id}/predict'],
      ['get', '/api/models/{id}/inputs'],
      ['get', '/api/models/{id}/history'],
      ['get', '/api/models/{id}/versions/{version}'],
      ['get', '/api/models/{id}/compare'],
      ['delete', '/api/models/{id}'],
      ['get', '/api/runs/{id}'],
      ['get', '/api/runs/{id}/events'],
      ['post', '/api/runs/{id}/cancel'],
    ];
    const missing = expected.filter(([method, path]) => !doc.paths[path]?.[method]);
    expect(missing).toEqual([]);
    const create = doc.paths['/api/models'].post as { requestBody?: unknown; responses: Record<string, unknown> };
    expect(create.requestBody).toBeDefined();
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400']));
  });
});
