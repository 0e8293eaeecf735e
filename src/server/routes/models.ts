// Routes of /api/models and /api/runs. (Placeholder: the models area fills this in.)
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Lathe } from '../../services/lathe.js';

export function modelsRoutes(_lathe: Lathe): OpenAPIHono {
  return new OpenAPIHono();
}
