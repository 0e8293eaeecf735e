// Routes of /api/tables. (Placeholder: the tables area fills this in.)
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Lathe } from '../../services/lathe.js';

export function tablesRoutes(_lathe: Lathe): OpenAPIHono {
  return new OpenAPIHono();
}
