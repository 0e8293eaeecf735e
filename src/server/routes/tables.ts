// Routes of /api/tables: uploads streamed into the tables service, JSON for everything else.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { ErrorBody } from '../../contract/errors.js';
import {
  AppendRowsBody,
  ColumnTypes,
  ImportQuery,
  PreviewQuery,
  ReplaceQuery,
  RowsPage,
  RowsQuery,
  Table,
  TableList,
  TableParams,
  TablePreview,
  TableRevisionList,
  UpdateTableBody,
} from '../../contract/tables.js';
import { LatheError } from '../../domain/errors.js';
import type { Lathe } from '../../services/lathe.js';
import type { ByteSource } from '../../services/tables.js';
import { multipartBoundary, openMultipartFile } from '../../tables/multipart-file.js';
import { routeOptions } from '../validation-hook.js';

/** Body limits in bytes: CSV uploads stream (default 2 GiB); JSON rows are parsed in memory (default 50 MiB). */
export interface TablesLimits {
  uploadBytes: number;
  jsonBytes: number;
}

/** Limits from LATHE_MAX_UPLOAD_BYTES and LATHE_MAX_JSON_BYTES, or the defaults. */
export function tablesLimits(env = process.env): TablesLimits {
  const num = (v: string | undefined, d: number) => (v && Number(v) > 0 ? Number(v) : d);
  return { uploadBytes: num(env.LATHE_MAX_UPLOAD_BYTES, 2 * 1024 ** 3), jsonBytes: num(env.LATHE_MAX_JSON_BYTES, 50 * 1024 ** 2) };
}

const tags = ['Tables'];
const STATUS_TEXT: Record<number, string> = {
  400: 'The request is malformed (INVALID_INPUT).',
  404: 'The table or revision does not exist (NOT_FOUND).',
  409: 'The name is taken, or another change of the table is running (CONFLICT).',
  413: 'The request body is over its size limit (PAYLOAD_TOO_LARGE).',
  422: 'The file or rows cannot be used; details name the row and column (INVALID_DATA).',
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
function errors(...statuses: (400 | 404 | 409 | 413 | 422)[]) {
  return Object.fromEntries(statuses.map((s) => [s, json(ErrorBody, STATUS_TEXT[s])])) as Record<number, ReturnType<typeof json<typeof ErrorBody>>>;
}

// Upload bodies are documented with plain JSON Schema (not zod) so no validator buffers them: the handler streams them.
const csvUpload = {
  description: 'The file: a text/csv (or text/tab-separated-values, text/plain) body, or multipart/form-data with a `file` field.',
  required: true,
  content: {
    'text/csv': { schema: { type: 'string' as const, description: 'CSV or TSV text, UTF-8 (a BOM is fine); delimiter , ; tab or | is detected.' } },
    'multipart/form-data': {
      schema: {
        type: 'object' as const,
        properties: { name: { type: 'string' as const }, file: { type: 'string' as const, format: 'binary' } },
        required: ['file'],
      },
    },
  },
};
const appendBody = {
  description: 'CSV text whose header names some or all columns, or a JSON array of objects keyed by column name.',
  required: true,
  content: {
    'application/json': { schema: z.toJSONSchema(AppendRowsBody, { target: 'openapi-3.0' }) as object },
    'text/csv': { schema: { type: 'string' as const } },
  },
};

const routes = {
  import: createRoute({
    method: 'post',
    path: '/tables',
    tags,
    summary: 'Create a table from a CSV file',
    description: 'The body is streamed and stored chunk by chunk. Column types are inferred unless `types` says otherwise. A failed import leaves no table.',
    request: { query: ImportQuery, body: csvUpload },
    responses: { 201: json(Table, 'The new table.'), ...errors(400, 409, 413, 422) },
  }),
  preview: createRoute({
    method: 'post',
    path: '/tables/preview',
    tags,
    summary: 'Preview a file: first rows and inferred column types, nothing saved',
    request: { query: PreviewQuery, body: csvUpload },
    responses: { 200: json(TablePreview, 'The preview.'), ...errors(400, 413, 422) },
  }),
  list: createRoute({ method: 'get', path: '/tables', tags, summary: 'Every table', responses: { 200: json(TableList, 'The tables.') } }),
  get: createRoute({
    method: 'get',
    path: '/tables/{id}',
    tags,
    summary: 'A table: columns with types, row count, revision, digest',
    request: { params: TableParams },
    responses: { 200: json(Table, 'The table.'), ...errors(404) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/tables/{id}',
    tags,
    summary: 'Rename a table or change column types',
    request: { params: TableParams, body: { content: { 'application/json': { schema: UpdateTableBody } }, required: true } },
    responses: { 200: json(Table, 'The table.'), ...errors(400, 404, 409, 422) },
  }),
  delete: createRoute({
    method: 'delete',
    path: '/tables/{id}',
    tags,
    summary: 'Delete a table and all its revisions',
    request: { params: TableParams },
    responses: { 204: { description: 'Deleted.' }, ...errors(404, 409) },
  }),
  rows: createRoute({
    method: 'get',
    path: '/tables/{id}/rows',
    tags,
    summary: 'A page of rows (typed values)',
    request: { params: TableParams, query: RowsQuery },
    responses: { 200: json(RowsPage, 'The rows.'), ...errors(400, 404) },
  }),
  append: createRoute({
    method: 'post',
    path: '/tables/{id}/rows',
    tags,
    summary: 'Append rows (CSV or JSON): a new revision',
    description: 'Unknown columns and values that do not fit a column type are errors naming the row and column; missing columns are empty.',
    request: { params: TableParams, body: appendBody },
    responses: { 200: json(Table, 'The table at its new revision.'), ...errors(400, 404, 409, 413, 422) },
  }),
  replace: createRoute({
    method: 'put',
    path: '/tables/{id}/rows',
    tags,
    summary: 'Replace all rows with a new file: a new revision (earlier ones stay readable)',
    request: { params: TableParams, query: ReplaceQuery, body: csvUpload },
    responses: { 200: json(Table, 'The table at its new revision.'), ...errors(400, 404, 409, 413, 422) },
  }),
  revisions: createRoute({
    method: 'get',
    path: '/tables/{id}/revisions',
    tags,
    summary: 'Every revision of a table, newest first',
    request: { params: TableParams },
    responses: { 200: json(TableRevisionList, 'The revisions.'), ...errors(404) },
  }),
};

function tooLarge(limit: number): LatheError {
  return new LatheError('PAYLOAD_TOO_LARGE', `The request body is over the limit of ${formatBytes(limit)}. Split the data into smaller files.`, {
    limitBytes: limit,
  });
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} bytes`;
}

/** The request body as a byte stream that fails with PAYLOAD_TOO_LARGE past `limit` (declared or actual size). */
function bodyStream(c: Context, limit: number): ByteSource {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  const body = c.req.raw.body;
  if (!body) throw new LatheError('INVALID_INPUT', 'The request has no body: send the file.');
  return (async function* () {
    let seen = 0;
    for await (const chunk of body) {
      seen += chunk.length;
      if (seen > limit) throw tooLarge(limit);
      yield chunk;
    }
  })();
}

/** The uploaded file: the raw body, or the `file` part of a multipart form. */
async function uploadedFile(c: Context, limit: number): Promise<{ source: ByteSource; fileName?: string; fields: Record<string, string> }> {
  const type = c.req.header('content-type') ?? '';
  if (/^application\/(json|x-www-form-urlencoded)/i.test(type)) {
    throw new LatheError('INVALID_INPUT', `Send the file as a text/csv body or as multipart/form-data with a "file" field (this request is ${type.split(';')[0]}).`);
  }
  const boundary = multipartBoundary(type);
  const bytes = bodyStream(c, limit);
  if (!boundary) return { source: bytes, fields: {} };
  const part = await openMultipartFile(bytes as AsyncIterable<Uint8Array>, boundary);
  return { source: part.content, fileName: part.fileName, fields: part.fields };
}

function parseTypes(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined || raw === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new LatheError('INVALID_INPUT', 'The `types` parameter must be a JSON object of column name to type, e.g. {"zip":"category"}.', { field: 'types' });
  }
  const parsed = ColumnTypes.safeParse(value);
  if (!parsed.success) {
    throw new LatheError('INVALID_INPUT', `The \`types\` parameter is not valid: ${parsed.error.issues[0]?.message ?? 'see details'}.`, {
      field: 'types',
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

async function readJson(source: ByteSource): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch (e) {
    throw new LatheError('INVALID_INPUT', `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

const baseName = (fileName: string | undefined) => fileName?.replace(/^.*[/\\]/, '').replace(/\.[^.]*$/, '') || undefined;

export function tablesRoutes(lathe: Lathe, limits: TablesLimits = tablesLimits()): OpenAPIHono {
  const app = new OpenAPIHono(routeOptions);
  const tables = lathe.tables;

  app.openapi(routes.import, async (c) => {
    const q = c.req.valid('query');
    const file = await uploadedFile(c, limits.uploadBytes);
    const name = q.name ?? file.fields.name;
    const table = await tables.importCsv({
      source: file.source,
      name: name || undefined,
      defaultName: baseName(q.fileName ?? file.fileName) ?? 'Table',
      columnTypes: parseTypes(q.types ?? file.fields.types),
    });
    return c.json(table, 201);
  });
  app.openapi(routes.preview, async (c) => {
    const file = await uploadedFile(c, limits.uploadBytes);
    return c.json(await tables.preview(file.source, { rows: c.req.valid('query').rows }), 200);
  });
  app.openapi(routes.list, async (c) => c.json({ tables: await tables.list() }, 200));
  app.openapi(routes.get, async (c) => c.json(await tables.get(c.req.valid('param').id), 200));
  app.openapi(routes.update, async (c) => c.json(await tables.update(c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(routes.delete, async (c) => {
    await tables.delete(c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(routes.rows, async (c) => {
    const q = c.req.valid('query');
    return c.json(await tables.rows(c.req.valid('param').id, q), 200);
  });
  app.openapi(routes.append, async (c) => {
    const id = c.req.valid('param').id;
    const type = c.req.header('content-type') ?? '';
    if (/^application\/json/i.test(type)) {
      const parsed = AppendRowsBody.safeParse(await readJson(bodyStream(c, limits.jsonBytes)));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new LatheError('INVALID_INPUT', `The rows are not valid (${issue?.path.join('.') || 'body'}): ${issue?.message ?? 'see details'}. Send a JSON array of objects keyed by column name.`, {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      return c.json(await tables.appendRows(id, parsed.data), 200);
    }
    const file = await uploadedFile(c, limits.uploadBytes);
    return c.json(await tables.appendCsv(id, file.source), 200);
  });
  app.openapi(routes.replace, async (c) => {
    const id = c.req.valid('param').id;
    const file = await uploadedFile(c, limits.uploadBytes);
    return c.json(await tables.replaceCsv(id, file.source, { columnTypes: parseTypes(c.req.valid('query').types ?? file.fields.types) }), 200);
  });
  app.openapi(routes.revisions, async (c) => c.json({ revisions: await tables.revisions(c.req.valid('param').id) }, 200));
  return app;
}
