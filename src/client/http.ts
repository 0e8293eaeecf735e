// The typed client's transport: JSON over fetch, API errors turned into ApiError.

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface HttpOptions {
  /** e.g. http://localhost:3000 (no trailing /api). */
  baseUrl: string;
  /** Defaults to the global fetch; the CLI passes an in-process app's fetch for local mode. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface Http {
  baseUrl: string;
  /** Sends a request and returns the raw response, throwing ApiError for error statuses. */
  send(method: string, path: string, init?: { body?: BodyInit; headers?: Record<string, string>; query?: Query }): Promise<Response>;
  /** Sends JSON (when body is given) and parses the JSON reply. */
  json<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T>;
}

export function createHttp(options: HttpOptions): Http {
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  async function send(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string>; query?: Query } = {}) {
    const qs = init.query
      ? Object.entries(init.query)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
          .join('&')
      : '';
    const url = `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
    const res = await doFetch(url, { method, body: init.body, headers: init.headers, duplex: 'half' } as RequestInit);
    if (!res.ok) {
      let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
      try {
        body = await res.json();
      } catch {
        /* not JSON: fall through to a generic message */
      }
      throw new ApiError(
        res.status,
        body.error?.code ?? 'HTTP_' + res.status,
        body.error?.message ?? `${method} ${path} failed with HTTP ${res.status}.`,
        body.error?.details ?? {},
      );
    }
    return res;
  }
  return {
    baseUrl,
    send,
    async json<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
      const res = await send(method, path, {
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        query,
      });
      return (await res.json()) as T;
    },
  };
}
