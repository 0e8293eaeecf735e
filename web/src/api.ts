// The web app's calls to Lathe's REST API, typed by the contract; the browser talks to nothing else.
import type { z } from 'zod';
import { createHttp, ApiError } from '../../src/client/http.js';
import type { Comparison, History, Model, QuickTestResult, Version } from '../../src/contract/models.js';
import type { Run } from '../../src/contract/runs.js';

export { ApiError };
export type { Model, Version, Run };
export type HistoryData = z.infer<typeof History>;
export type ComparisonData = z.infer<typeof Comparison>;
export type QuickTestData = z.infer<typeof QuickTestResult>;
export type Slot = 'published' | 'lastTrained';
export type Configuration = Record<string, unknown>;

export type ColumnType = 'number' | 'category' | 'boolean' | 'text' | 'date';
export const COLUMN_TYPES: ColumnType[] = ['number', 'category', 'boolean', 'text', 'date'];

/**
 * A table as the tables API returns it. Read defensively: the tables contract is written in parallel,
 * so every field but id and name may be missing.
 */
export interface TableInfo {
  id: string;
  name: string;
  revision?: number;
  rowCount?: number;
  digest?: string;
  columns?: { name: string; type: ColumnType }[];
  createdAt?: string;
  updatedAt?: string;
}

/** The first rows of a file and the column types inferred from it (nothing saved). */
export interface TablePreview {
  columns: { name: string; type: ColumnType }[];
  rows: unknown[];
  rowCount?: number;
}

export interface RowsPage {
  rows: unknown[];
  total?: number;
}

export interface Revision {
  revision: number;
  digest?: string;
  rowCount?: number;
  createdAt?: string;
  change?: string;
  [k: string]: unknown;
}

export interface InputField {
  name: string;
  type: ColumnType;
  choices?: string[];
}

const http = createHttp({ baseUrl: window.location.origin });

const m = (id: string) => `/api/models/${encodeURIComponent(id)}`;
const t = (id: string) => `/api/tables/${encodeURIComponent(id)}`;

/** Lists come as `{models: [...]}` / `{tables: [...]}` or a bare array; accept both. */
function listOf<T>(reply: unknown, key: string): T[] {
  if (Array.isArray(reply)) return reply as T[];
  const inner = (reply as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

export const api = {
  models: {
    list: async () => listOf<Model>(await http.json('GET', '/api/models'), 'models'),
    get: (id: string) => http.json<Model>('GET', m(id)),
    create: (body: { name: string; type: Model['type']; description?: string; configuration?: Configuration }) =>
      http.json<Model>('POST', '/api/models', body),
    update: (id: string, body: { name?: string; description?: string }) => http.json<Model>('PATCH', m(id), body),
    delete: (id: string) => http.send('DELETE', m(id)),
    saveDraft: (id: string, configuration: Configuration) => http.json<Model>('PUT', `${m(id)}/draft`, { configuration }),
    discardDraft: (id: string) => http.json<Model>('DELETE', `${m(id)}/draft`),
    train: (id: string) => http.json<Run>('POST', `${m(id)}/draft/train`, {}),
    newVersion: (id: string, from?: Slot) => http.json<Model>('POST', `${m(id)}/versions`, from ? { from } : {}),
    retrain: (id: string, from?: Slot) => http.json<Run>('POST', `${m(id)}/retrain`, from ? { from } : {}),
    publish: (id: string) => http.json<Model>('POST', `${m(id)}/publish`, {}),
    unpublish: (id: string) => http.json<Model>('POST', `${m(id)}/unpublish`, {}),
    rollback: (id: string, version: number) => http.json<Model>('POST', `${m(id)}/rollback`, { version }),
    inputs: async (id: string, version?: Slot) =>
      listOf<InputField>(await http.json('GET', `${m(id)}/inputs`, undefined, { version }), 'inputs'),
    quickTest: (id: string, version: Slot | undefined, input: Record<string, unknown>) =>
      http.json<QuickTestData>('POST', `${m(id)}/quick-test`, { version, input }),
    history: (id: string) => http.json<HistoryData>('GET', `${m(id)}/history`),
    version: (id: string, version: number) => http.json<Version>('GET', `${m(id)}/versions/${version}`),
    compare: (id: string, a: number, b: number) => http.json<ComparisonData>('GET', `${m(id)}/compare`, undefined, { a, b }),
  },
  runs: {
    get: (id: string) => http.json<Run>('GET', `/api/runs/${encodeURIComponent(id)}`),
    cancel: (id: string) => http.json<Run>('POST', `/api/runs/${encodeURIComponent(id)}/cancel`, {}),
    eventsUrl: (id: string) => `/api/runs/${encodeURIComponent(id)}/events`,
  },
  tables: {
    list: async () => listOf<TableInfo>(await http.json('GET', '/api/tables'), 'tables'),
    get: (id: string) => http.json<TableInfo>('GET', t(id)),
    rows: async (id: string, offset: number, limit: number): Promise<RowsPage> => {
      const reply = await http.json<unknown>('GET', `${t(id)}/rows`, undefined, { offset, limit });
      const total = (reply as { total?: number; rowCount?: number } | null)?.total ?? (reply as { rowCount?: number } | null)?.rowCount;
      return { rows: listOf(reply, 'rows'), total };
    },
    revisions: async (id: string) => listOf<Revision>(await http.json('GET', `${t(id)}/revisions`), 'revisions'),
    update: (id: string, body: { name?: string; columns?: Record<string, ColumnType> | { name: string; type: ColumnType }[] }) =>
      http.json<TableInfo>('PATCH', t(id), body),
    preview: (file: Blob) =>
      http
        .send('POST', '/api/tables/preview', { body: file, headers: { 'content-type': 'text/csv' } })
        .then((r) => r.json() as Promise<TablePreview>),
    /** Uploads a CSV with upload progress (fetch cannot report it, XMLHttpRequest can). */
    import: (file: Blob, name: string, onProgress: (fraction: number) => void) =>
      upload('POST', `/api/tables?name=${encodeURIComponent(name)}`, file, onProgress) as Promise<TableInfo>,
    append: (id: string, file: Blob, onProgress: (fraction: number) => void) => upload('POST', `${t(id)}/rows`, file, onProgress),
  },
};

function upload(method: string, url: string, body: Blob, onProgress: (fraction: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The server could not be reached. Check that Lathe is running.'));
    xhr.onload = () => {
      let reply: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null = null;
      try {
        reply = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(reply);
      } else {
        reject(
          new ApiError(
            xhr.status,
            reply?.error?.code ?? `HTTP_${xhr.status}`,
            reply?.error?.message ?? `The upload failed with HTTP ${xhr.status}.`,
            reply?.error?.details ?? {},
          ),
        );
      }
    };
    xhr.send(body);
  });
}

/** A readable sentence for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
