import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, ApiError } from '../../src/client/index.js';
import type { Table } from '../../src/contract/tables.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openLathe, type Lathe } from '../../src/services/lathe.js';
import { numberedCsv, removeTempDirs, tempDir } from './helpers.js';

const UPLOAD_LIMIT = 200_000;
const JSON_LIMIT = 5_000;
let lathe: Lathe;
let server: RunningServer;
let client: ReturnType<typeof createClient>;

beforeAll(async () => {
  // Small limits (read when the routes are created) so the 413 paths are cheap to reach.
  process.env.LATHE_MAX_UPLOAD_BYTES = String(UPLOAD_LIMIT);
  process.env.LATHE_MAX_JSON_BYTES = String(JSON_LIMIT);
  lathe = await openLathe({ dataDir: tempDir() });
  server = await startServer(lathe, { port: 0, host: '127.0.0.1' });
  client = createClient({ baseUrl: server.url });
});
afterAll(async () => {
  await server.close();
  await lathe.close();
  delete process.env.LATHE_MAX_UPLOAD_BYTES;
  delete process.env.LATHE_MAX_JSON_BYTES;
  removeTempDirs();
});

async function call(method: string, path: string, body?: BodyInit, contentType?: string) {
  const res = await fetch(server.url + path, { method, body, headers: contentType ? { 'content-type': contentType } : {} });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an API error');
}

describe('tables API', () => {
  let penguins: Table;

  it('uploads a CSV body and answers 201 with the table', async () => {
    const csv = readFileSync(join(import.meta.dirname, '../../samples/penguins.csv'), 'utf8');
    const res = await call('POST', '/api/tables?name=Penguins', csv, 'text/csv');
    expect(res.status).toBe(201);
    penguins = res.body;
    expect(penguins).toMatchObject({ name: 'Penguins', revision: 1, rowCount: 344 });
    expect(penguins.columns.find((c) => c.name === 'species')?.type).toBe('category');
  });

  it('uploads a multipart form with a file field, naming the table after the file', async () => {
    const fd = new FormData();
    fd.append('file', new Blob([numberedCsv(5)]), 'weekly sales.csv');
    const res = await call('POST', '/api/tables', fd);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'weekly sales', rowCount: 5 });
  });

  it('reads a tab-separated file with a byte order mark and CRLF line ends from a form', async () => {
    const fd = new FormData();
    fd.append('name', 'Tabbed');
    fd.append('file', new Blob([Buffer.from('\uFEFFcity\tvisits\r\nOslo\t3\r\nRoma\t\r\n')]), 'tabbed.tsv');
    const res = await call('POST', '/api/tables', fd);
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Tabbed');
    expect(res.body.columns).toEqual([
      { name: 'city', type: 'category', inferredType: 'category' },
      { name: 'visits', type: 'number', inferredType: 'number' },
    ]);
    const rows = await client.tables.rows(res.body.id);
    expect(rows.rows).toEqual([
      ['Oslo', 3],
      ['Roma', null],
    ]);
  });

  it('refuses a JSON body where a file is expected', async () => {
    const res = await call('POST', '/api/tables?name=J', '[{"a":1}]', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('text/csv');
  });

  it('streams an upload of unknown length through the typed client', async () => {
    const text = numberedCsv(2000);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const b = new TextEncoder().encode(text);
        for (let i = 0; i < b.length; i += 4096) controller.enqueue(b.slice(i, i + 4096));
        controller.close();
      },
    });
    const t = await client.tables.upload(stream, { name: 'Streamed', types: { group: 'text' } });
    expect(t.rowCount).toBe(2000);
    expect(t.columns[1].type).toBe('text');
  });

  it('lists and gets tables', async () => {
    const list = await call('GET', '/api/tables');
    expect(list.status).toBe(200);
    expect(list.body.tables.map((t: Table) => t.name)).toContain('Penguins');
    const one = await call('GET', `/api/tables/${penguins.id}`);
    expect(one.body).toEqual(penguins);
  });

  it('returns a page of typed rows', async () => {
    const res = await call('GET', `/api/tables/${penguins.id}/rows?offset=2&limit=2`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ offset: 2, limit: 2, total: 344, revision: 1 });
    expect(res.body.rows).toEqual([
      ['Adelie', 'Torgersen', 40.3, 18, 195, 3250, 'FEMALE'],
      ['Adelie', 'Torgersen', null, null, null, null, null],
    ]);
  });

  it('appends CSV and JSON rows, each a new revision', async () => {
    const csv = await call('POST', `/api/tables/${penguins.id}/rows`, 'species,island,body_mass_g\nGentoo,Biscoe,5000\n', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.body).toMatchObject({ revision: 2, rowCount: 345 });
    const json = await client.tables.appendRows(penguins.id, [{ species: 'Adelie', bill_length_mm: 40.1, sex: null }]);
    expect(json).toMatchObject({ revision: 3, rowCount: 346 });
    const revs = await client.tables.revisions(penguins.id);
    expect(revs.map((r) => r.kind)).toEqual(['append', 'append', 'import']);
    const old = await client.tables.rows(penguins.id, { revision: 1, offset: 343 });
    expect(old.rows).toHaveLength(1);
    expect(old.total).toBe(344);
  });

  it('answers 422 with the row and column of a bad CSV, and creates nothing', async () => {
    const before = (await client.tables.list()).length;
    const res = await call('POST', '/api/tables?name=Bad', 'a,b\n1,2\n3\n', 'text/csv');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'INVALID_DATA', details: { row: 3, column: 'b' } });
    expect((await client.tables.list()).length).toBe(before);
  });

  it('answers 422 for an appended value that does not fit its column', async () => {
    const e = await apiError(client.tables.appendRows(penguins.id, [{ body_mass_g: 'heavy' }]));
    expect(e.status).toBe(422);
    expect(e.details).toMatchObject({ row: 1, column: 'body_mass_g' });
  });

  it('answers 413 for a declared or streamed body over the limit, and for large JSON', async () => {
    const big = numberedCsv(20_000);
    expect(big.length).toBeGreaterThan(UPLOAD_LIMIT);
    const declared = await call('POST', '/api/tables?name=Big', big, 'text/csv');
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const streamed = await apiError(client.tables.upload(new Blob([big]).stream(), { name: 'Big' }));
    expect(streamed.status).toBe(413);
    const json = await call('POST', `/api/tables/${penguins.id}/rows`, JSON.stringify(Array(500).fill({ species: 'Adelie' })), 'application/json');
    expect(json.status).toBe(413);
    expect((await client.tables.list()).map((t) => t.name)).not.toContain('Big');
  });

  it('answers 404 for unknown tables and 400 for bad queries and bodies', async () => {
    expect((await call('GET', '/api/tables/tbl_nope')).status).toBe(404);
    expect((await call('GET', '/api/tables/tbl_nope/rows')).body.error.code).toBe('NOT_FOUND');
    expect((await call('GET', `/api/tables/${penguins.id}/rows?limit=5000`)).status).toBe(400);
    expect((await call('POST', `/api/tables/${penguins.id}/rows`, '{not json', 'application/json')).status).toBe(400);
    expect((await call('POST', `/api/tables/${penguins.id}/rows`, '{"a":1}', 'application/json')).status).toBe(400);
    expect((await call('POST', '/api/tables?name=X&types={"a":"money"}', 'a\n1\n', 'text/csv')).status).toBe(400);
  });

  it('answers 409 for a taken name', async () => {
    const res = await call('POST', '/api/tables?name=Penguins', 'a\n1\n', 'text/csv');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
  });

  it('renames, retypes, previews and deletes', async () => {
    const t = await client.tables.upload('zip,n\n1000,1\n2000,2\n', { name: 'Zips' });
    const patched = await call('PATCH', `/api/tables/${t.id}`, JSON.stringify({ name: 'Postcodes', columnTypes: { zip: 'category' } }), 'application/json');
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Postcodes', revision: 2 });
    const preview = await client.tables.preview('a;b\n1;x\n', 5);
    expect(preview).toEqual({ delimiter: ';', columns: [{ name: 'a', type: 'number' }, { name: 'b', type: 'category' }], rows: [['1', 'x']] });
    const replaced = await client.tables.replace(t.id, 'zip,n\n3000,3\n');
    expect(replaced).toMatchObject({ revision: 3, rowCount: 1 });
    expect((await call('DELETE', `/api/tables/${t.id}`)).status).toBe(204);
    expect((await call('GET', `/api/tables/${t.id}`)).status).toBe(404);
  });

  it('documents every tables path in the OpenAPI document', async () => {
    const doc = (await call('GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths).filter((p: string) => p.startsWith('/api/tables'))).toEqual(
      expect.arrayContaining(['/api/tables', '/api/tables/preview', '/api/tables/{id}', '/api/tables/{id}/rows', '/api/tables/{id}/revisions']),
    );
    expect(Object.keys(doc.paths['/api/tables/{id}/rows'])).toEqual(expect.arrayContaining(['get', 'post', 'put']));
    expect(doc.components.schemas.Table).toBeDefined();
  });
});
