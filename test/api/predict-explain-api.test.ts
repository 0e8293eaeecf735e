// Predict with and without explanations over real HTTP, with the real prediction engine on titanic.csv:
// `explain: false` leaves the explanations out and changes no prediction, on the caller's thread
// (small batches) and in the prediction worker (large ones) alike.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type LatheClient } from '../../src/client/index.js';
import { PREDICT_ON_THREAD_ROWS } from '../../src/services/models/predictors.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openLathe, type Lathe } from '../../src/services/lathe.js';

const TITANIC = fileURLToPath(new URL('../../../shared/datasets/titanic.csv', import.meta.url));

let dir: string;
let lathe: Lathe;
let server: RunningServer;
let client: LatheClient;
let modelId: string;
/** Titanic's rows without the target, as the predict API takes them. */
let inputs: Record<string, unknown>[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-explain-'));
  lathe = await openLathe({ dataDir: dir });
  server = await startServer(lathe, { port: 0, host: '127.0.0.1' });
  client = createClient({ baseUrl: server.url });
  const csv = readFileSync(TITANIC, 'utf8');
  const table = await client.tables.upload(csv, { name: 'titanic' });
  const model = await client.models.create({ name: 'Survival', type: 'prediction', configuration: { tableId: table.id, target: 'survived', splitColumn: 'split' } });
  const run = await client.models.train(model.id);
  expect((await client.models.waitForRun(run.id)).status).toBe('succeeded');
  await client.models.publish(model.id);
  modelId = model.id;
  const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
  inputs = parsed.data.map(({ survived: _, ...row }) => row);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await lathe?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('POST /api/models/{id}/predict with explain', () => {
  it.each([
    ['on the calling thread', 5],
    ['in the prediction worker', 200],
  ])('returns the same predictions without explanations when explain is false (%s)', async (_where, n) => {
    expect(n <= PREDICT_ON_THREAD_ROWS).toBe(n === 5);
    const rows = inputs.slice(0, n);
    const explained = await client.models.predict(modelId, rows);
    const bare = await client.models.predict(modelId, rows, { explain: false });

    expect(explained.results).toHaveLength(n);
    expect(explained.results.some((r) => Array.isArray(r.explanation) && r.explanation.length > 0)).toBe(true);
    for (const r of bare.results) expect(r).not.toHaveProperty('explanation');
    expect(bare.version).toBe(explained.version);
    expect(bare.results).toEqual(explained.results.map(({ explanation: _, ...rest }) => rest));
    expect(new Set(bare.results.map((r) => r.prediction)).size).toBe(2);
  });

  it('explains by default and when explain is true, and refuses an explain that is not a boolean', async () => {
    const rows = inputs.slice(0, 3);
    const url = `${server.url}/api/models/${modelId}/predict`;
    const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const explicit = (await (await post({ rows, explain: true })).json()) as { results: Record<string, unknown>[] };
    expect(explicit).toEqual(await client.models.predict(modelId, rows));
    for (const r of explicit.results) expect(r).toHaveProperty('explanation');
    expect((await post({ rows, explain: 'no' })).status).toBe(400);
  });

  it('documents explain, default true, in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties: Record<string, { type?: string; default?: unknown; description?: string }>; required?: string[] }> };
    };
    const request = doc.components.schemas.PredictRequest;
    expect(request.properties.explain).toMatchObject({ type: 'boolean', default: true });
    expect(request.properties.explain.description).toMatch(/explanation/);
    expect(request.required ?? []).not.toContain('explain');
  });
});
