// Turns a failed request-schema check into the standard INVALID_INPUT error body.
import type { Hook } from '@hono/zod-openapi';
import { errorReply } from './error-status.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, any, any, any> = (result, c) => {
  if (result.success) return;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  const where = first?.path ? ` (${first.path})` : '';
  return errorReply(c, 'INVALID_INPUT', `The request is not valid${where}: ${first?.message ?? 'see details'}.`, { issues });
};

/** A new sub-app whose schema failures answer with the standard error body. */
export const routeOptions = { defaultHook: validationHook };
