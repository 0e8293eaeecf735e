// The typed Lathe client: one object per API area over one HTTP transport.
import { createHttp, type HttpOptions } from './http.js';
import { modelsClient } from './models.js';
import { tablesClient } from './tables.js';

export { ApiError } from './http.js';

export function createClient(options: HttpOptions) {
  const http = createHttp(options);
  return { http, tables: tablesClient(http), models: modelsClient(http) };
}

export type LatheClient = ReturnType<typeof createClient>;
