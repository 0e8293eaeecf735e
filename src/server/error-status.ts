// The one table that maps error codes to HTTP statuses, and the reply every error gets.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isLatheError, type ErrorCode } from '../domain/errors.js';

export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  INVALID_INPUT: 400,
  INVALID_CONFIGURATION: 422,
  INVALID_DATA: 422,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

export function errorReply(c: Context, code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  return c.json({ error: { code, message, details } }, STATUS_OF[code]);
}

export function handleError(err: unknown, c: Context) {
  if (isLatheError(err)) return errorReply(c, err.code, err.message, err.details);
  const e = err as { status?: number; message?: string };
  if (e?.status === 413) {
    return errorReply(c, 'PAYLOAD_TOO_LARGE', 'The request body is too large. Split the data into smaller requests.');
  }
  if (err instanceof SyntaxError) {
    return errorReply(c, 'INVALID_INPUT', `The request body is not valid JSON: ${err.message}`);
  }
  console.error(err);
  return errorReply(c, 'INTERNAL', 'Something went wrong inside Lathe. The error was logged on the server.');
}
