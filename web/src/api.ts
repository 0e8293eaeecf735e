// The web app's calls to Lathe's REST API, typed by the contract; the browser talks to nothing else.
import type { z } from 'zod';
import { ApiError } from '../../src/client/http.js';
import { createClient } from '../../src/client/index.js';
import type { Comparison, History, Model, QuickTestResult, Version } from '../../src/contract/models.js';
import type { Run } from '../../src/contract/runs.js';
import type { ColumnType, RowsPage, Table, TablePreview, TableRevision } from '../../src/contract/tables.js';

export { ApiError };
export type { Model, Version, Run };
export type HistoryData = z.infer<typeof History>;
export type ComparisonData = z.infer<typeof Comparison>;
export type QuickTestData = z.infer<typeof QuickTestResult>;
export type Slot = 'published' | 'lastTrained';
export type Configuration = Record<string, unknown>;

export type { ColumnType, TablePreview, RowsPage };
export type TableInfo = Table;
export type Revision = TableRevision;
export const COLUMN_TYPES: ColumnType[] = ['number', 'category', 'boolean', 'text', 'date'];

export interface InputField {
  name: string;
  type: ColumnType;
  choices?: string[];
}

const client = createClient({ baseUrl: window.location.origin });

export const api = {
  // Model calls go through the project's typed client.
  models: {
    ...client.models,
    quickTest: (id: string, version: Slot | undefined, input: Record<string, unknown>) => client.models.quickTest(id, { version, input }),
  },
  runs: {
    get: (id: string) => client.models.getRun(id),
    cancel: (id: string) => client.models.cancelRun(id),
    eventsUrl: (id: string) => `/api/runs/${encodeURIComponent(id)}/events`,
  },
  // Table calls go through the typed client too, except uploads: fetch cannot report upload progress.
  tables: {
    list: () => client.tables.list(),
    get: (id: string) => client.tables.get(id),
    rows: (id: string, offset: number, limit: number) => client.tables.rows(id, { offset, limit }),
    revisions: (id: string) => client.tables.revisions(id),
    update: (id: string, body: { name?: string; columnTypes?: Record<string, ColumnType> }) => client.tables.update(id, body),
    delete: (id: string) => client.tables.delete(id),
    preview: (file: Blob) => client.tables.preview(file),
    /** Uploads a CSV with upload progress; `types` overrides the inferred type of some columns, e.g. {zip: 'category'}. */
    import: (file: Blob, name: string, types: Record<string, ColumnType>, onProgress: (fraction: number) => void) => {
      const q = new URLSearchParams({ name });
      if (Object.keys(types).length > 0) q.set('types', JSON.stringify(types));
      return upload('POST', `/api/tables?${q}`, file, onProgress) as Promise<TableInfo>;
    },
    append: (id: string, file: Blob, onProgress: (fraction: number) => void) => upload('POST', `/api/tables/${encodeURIComponent(id)}/rows`, file, onProgress),
    replace: (id: string, file: Blob, onProgress: (fraction: number) => void) => upload('PUT', `/api/tables/${encodeURIComponent(id)}/rows`, file, onProgress),
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
