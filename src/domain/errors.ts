// Error codes every layer speaks; the HTTP edge maps them to statuses in one table.

export type ErrorCode =
  | 'NOT_FOUND' // the model, table, version or run does not exist
  | 'CONFLICT' // a racing request changed the state first; retry after reloading
  | 'INVALID_TRANSITION' // the lifecycle rules forbid this action in the current state
  | 'INVALID_INPUT' // the request itself is malformed (wrong field, wrong type)
  | 'INVALID_CONFIGURATION' // the draft's configuration cannot be trained (see details.errors)
  | 'INVALID_DATA' // a file or rows cannot be read or used (see details for row/column)
  | 'PAYLOAD_TOO_LARGE' // a request body over its limit
  | 'INTERNAL'; // a bug or an unexpected failure

export class LatheError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'LatheError';
    this.code = code;
    this.details = details;
  }
  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (what: string, id: string | number): LatheError =>
  new LatheError('NOT_FOUND', `${what} ${id} does not exist.`, { what, id });

export const isLatheError = (e: unknown): e is LatheError => e instanceof LatheError;
