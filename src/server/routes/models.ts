// Routes of /api/models and /api/runs: validate with the contract schema, call one service method, shape the reply.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { ErrorBody } from '../../contract/errors.js';
import {
  Comparison,
  CreateModelRequest,
  History,
  InputFields,
  MAX_PREDICT_ROWS,
  Model,
  ModelList,
  NewVersionRequest,
  PredictRequest,
  PredictResult,
  QuickTestRequest,
  QuickTestResult,
  RetrainRequest,
  RollbackRequest,
  SaveDraftRequest,
  SlotName,
  UpdateModelRequest,
  Version,
} from '../../contract/models.js';
import { Run } from '../../contract/runs.js';
import type { Lathe } from '../../services/lathe.js';
import type { ModelsService } from '../../services/models-service.js';
import { errorReply, handleError } from '../error-status.js';
import { streamRun } from '../sse.js';
import { validationHook } from '../validation-hook.js';

/** Body limits (bytes): ordinary JSON requests are small; predict carries up to 10,000 rows. */
export const JSON_BODY_LIMIT = 1024 * 1024;
export const PREDICT_BODY_LIMIT = 20 * 1024 * 1024;

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is malformed (INVALID_INPUT).',
  404: 'The model, version or run does not exist (NOT_FOUND).',
  409: 'The lifecycle rules refuse the action now (INVALID_TRANSITION) or a racing request won (CONFLICT).',
  413: 'The request body is over its size limit (PAYLOAD_TOO_LARGE).',
  422: 'The configuration or the data cannot be used (INVALID_CONFIGURATION, INVALID_DATA).',
};

const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** The standard error body for each status a route can answer with. */
function errorResponses(...statuses: (400 | 404 | 409 | 413 | 422)[]) {
  return Object.fromEntries(statuses.map((s) => [s, jsonContent(ErrorBody, STATUS_TEXT[s])])) as Record<
    number,
    ReturnType<typeof jsonContent<typeof ErrorBody>>
  >;
}

const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  body: { content: { 'application/json': { schema } }, required },
});

/** Bytes of an over-limit body read and thrown away so the client finishes sending and sees the 413. */
const DRAIN_MAX = 64 * 1024 * 1024;

/**
 * Refuses bodies over `maxSize` with 413 PAYLOAD_TOO_LARGE: at once when the declared length says so,
 * otherwise while counting the bytes as they arrive (hono/body-limit does the same, but stops reading
 * at the limit, and a client still sending a chunked body then never sees the answer).
 */
function limit(maxSize: number): MiddlewareHandler {
  const tooLarge = (c: Context) =>
    errorReply(c, 'PAYLOAD_TOO_LARGE', `The request body is over the limit of ${maxSize / 1024 / 1024} MB. Split the data into smaller requests.`, {
      limitBytes: maxSize,
    });
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding')) return Number(declared) > maxSize ? tooLarge(c) : next();
    const chunks: Uint8Array[] = []; // the body so far, in arrival order
    let size = 0;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxSize) {
        // Keep reading (and dropping) the rest, so the client can finish sending and read the answer.
        while (size <= DRAIN_MAX) {
          const rest = await reader.read();
          if (rest.done) break;
          size += rest.value.length;
        }
        void reader.cancel().catch(() => {});
        return tooLarge(c);
      }
      chunks.push(value);
    }
    const whole = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      whole.set(chunk, at);
      at += chunk.length;
    }
    c.req.raw = new Request(c.req.raw, { body: whole });
    return next();
  };
}

const ModelParams = z.object({ id: z.string().min(1).describe('Model id') });
const VersionParams = ModelParams.extend({ version: z.coerce.number().int().positive().describe('Version number') });
const RunParams = z.object({ id: z.string().min(1).describe('Run id') });

const tags = ['Models'];

const routes = {
  create: createRoute({
    method: 'post',
    path: '/models',
    tags,
    summary: 'Create a model and its first draft',
    middleware: [limit(JSON_BODY_LIMIT)] as const,
    request: jsonBody(CreateModelRequest),
    responses: { 201: jsonContent(Model, 'The new model with its draft.'), ...errorResponses(400, 413) },
  }),
  list: createRoute({
    method: 'get',
    path: '/models',
    tags,
    summary: 'Every model',
    responses: { 200: jsonContent(ModelList, 'The models, with their slots and draft.') },
  }),
  get: createRoute({
    method: 'get',
    path: '/models/{id}',
    tags,
    summary: 'A model: draft with validation, the two slots, active run, allowed actions',
    request: { params: ModelParams },
    responses: { 200: jsonContent(Model, 'The model.'), ...errorResponses(404) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/models/{id}',
    tags,
    summary: 'Rename a model or edit its description',
    middleware: [limit(JSON_BODY_LIMIT)] as const,
    request: { params: ModelParams, ...jsonBody(UpdateModelRequest) },
    responses: { 200: jsonContent(Model, 'The model.'), ...errorResponses(400, 404, 413) },
  }),
  saveDraft: createRoute({
    method: 'put',
    path: '/models/{id}/draft',
    tags,
    summary: 'Save the draft configuration',
    description: 'Always saves, even an incomplete configuration; `draft.validation` says what blocks training.',
    middleware: [limit(JSON_BODY_LIMIT)] as const,
    request: { params: ModelParams, ...jsonBody(SaveDraftRequest) },
    responses: { 200: jsonContent(Model, 'The model with the saved draft.'), ...errorResponses(400, 404, 409, 413) },
  }),
  discardDraft: createRoute({
    method: 'delete',
    path: '/models/{id}/draft',
    tags,
    summary: 'Discard the draft',
    request: { params: ModelParams },
    responses: { 200: jsonContent(Model, 'The model without a draft.'), ...errorResponses(404, 409) },
  }),
  train: createRoute({
    method: 'post',
    path: '/models/{id}/draft/train',
    tags,
    summary: 'Train the draft',
    description: 'Starts a run; on success the draft becomes the new Last trained version. Follow it with /api/runs/{id}/events.',
    request: { params: ModelParams },
    responses: { 202: jsonContent(Run, 'The queued run.'), ...errorResponses(404, 409, 422) },
  }),
  newVersion: createRoute({
    method: 'post',
    path: '/models/{id}/versions',
    tags,
    summary: 'Start a new version: a draft copied from the published or last trained version',
    middleware: [limit(JSON_BODY_LIMIT)] as const,
    request: { params: ModelParams, ...jsonBody(NewVersionRequest, false) },
    responses: { 201: jsonContent(Model, 'The model with its new draft.'), ...errorResponses(400, 404, 409, 413) },
  }),
  retrain: createRoute({
    method: 'post',
    path: '/models/{id}/retrain',
    tags,
    summary: "Retrain a trained version's configuration on the table's current rows",
    middleware: [limit(JSON_BODY_LIMIT)] as const,
    request: { params: ModelParams, ...jsonBody(RetrainRequest, false) },
    responses: { 202: jsonContent(Run, 'The queued run.'), ...errorResponses(400, 404, 409, 413, 422) },
  }),
  publish: createRoute({
    method: 'post',
    path: '/models/{id}/publish',
    tags,
    summary: 'Publish the last trained version',
    request: { params: ModelParams },
    responses: { 200: jsonContent(Model, 'The model.'), ...errorResponses(404, 409) },
  }),
  unpublish: createRoute({
    method: 'post',
    path: '/models/{id}/unpublish',
    tags,
    summary: 'Unpublish the published version',
    request: { params: ModelParams },
    responses: { 200: jsonContent(Model, 'The model.'), ...errorResponses(404, 409) },
  }),
  rollback: createRoute({
    method: 'post',
    path: '/models/{id}/rollback',
    tags,
    summary: 'Republish a previously published version',
    middleware: [limit(JSON_BODY_LIMIT)] as const,
    request: { params: ModelParams, ...jsonBody(RollbackRequest) },
    responses: { 200: jsonContent(Model, 'The model.'), ...errorResponses(400, 404, 409, 413) },
  }),
  quickTest: createRoute({
    method: 'post',
    path: '/models/{id}/quick-test',
    tags,
    summary: 'Predict one input with the published or last trained version (changes nothing)',
    middleware: [limit(JSON_BODY_LIMIT)] as const,
    request: { params: ModelParams, ...jsonBody(QuickTestRequest) },
    responses: { 200: jsonContent(QuickTestResult, 'The prediction.'), ...errorResponses(400, 404, 409, 413) },
  }),
  predict: createRoute({
    method: 'post',
    path: '/models/{id}/predict',
    tags,
    summary: 'Predict rows with the published version',
    description: `Up to ${MAX_PREDICT_ROWS.toLocaleString('en')} rows per request; body limit ${PREDICT_BODY_LIMIT / 1024 / 1024} MB.`,
    middleware: [limit(PREDICT_BODY_LIMIT)] as const,
    request: { params: ModelParams, ...jsonBody(PredictRequest) },
    responses: { 200: jsonContent(PredictResult, 'One result per row, in order.'), ...errorResponses(400, 404, 409, 413) },
  }),
  inputs: createRoute({
    method: 'get',
    path: '/models/{id}/inputs',
    tags,
    summary: 'The fields of the quick test form for a slot',
    request: { params: ModelParams, query: z.object({ version: SlotName.optional() }) },
    responses: { 200: jsonContent(InputFields, 'One typed field per input column.'), ...errorResponses(400, 404, 409) },
  }),
  history: createRoute({
    method: 'get',
    path: '/models/{id}/history',
    tags,
    summary: 'Every version ever trained and every event',
    request: { params: ModelParams },
    responses: { 200: jsonContent(History, 'The history.'), ...errorResponses(404) },
  }),
  version: createRoute({
    method: 'get',
    path: '/models/{id}/versions/{version}',
    tags,
    summary: 'One trained version with its chart data',
    request: { params: VersionParams },
    responses: { 200: jsonContent(Version, 'The version with details.'), ...errorResponses(400, 404) },
  }),
  compare: createRoute({
    method: 'get',
    path: '/models/{id}/compare',
    tags,
    summary: 'Compare two versions: configuration, data and metrics',
    request: {
      params: ModelParams,
      query: z.object({ a: z.coerce.number().int().positive(), b: z.coerce.number().int().positive() }),
    },
    responses: { 200: jsonContent(Comparison, 'The comparison.'), ...errorResponses(400, 404) },
  }),
  delete: createRoute({
    method: 'delete',
    path: '/models/{id}',
    tags,
    summary: 'Delete a model with its draft, versions and artifacts',
    request: { params: ModelParams },
    responses: { 204: { description: 'Deleted.' }, ...errorResponses(404, 409) },
  }),
  getRun: createRoute({
    method: 'get',
    path: '/runs/{id}',
    tags: ['Runs'],
    summary: 'A training run: status, stage and progress',
    request: { params: RunParams },
    responses: { 200: jsonContent(Run, 'The run.'), ...errorResponses(404) },
  }),
  runEvents: createRoute({
    method: 'get',
    path: '/runs/{id}/events',
    tags: ['Runs'],
    summary: 'Live progress of a run (server-sent events)',
    description:
      'text/event-stream: `event: progress` with the Run as data on every change (the current state first), then ' +
      '`event: end` with the final Run, after which the stream closes. For an ended run both come at once.',
    request: { params: RunParams },
    responses: {
      200: { description: 'The event stream.', content: { 'text/event-stream': { schema: z.string() } } },
      ...errorResponses(404),
    },
  }),
  cancelRun: createRoute({
    method: 'post',
    path: '/runs/{id}/cancel',
    tags: ['Runs'],
    summary: 'Cancel a queued or running training',
    description: 'The run ends `cancelled`; the draft and both slots stay as they were.',
    request: { params: RunParams },
    responses: { 200: jsonContent(Run, 'The run.'), ...errorResponses(404, 409) },
  }),
};

/** Malformed JSON is the client's mistake (400), not a server failure. */
function onError(err: Error, c: Context) {
  if (err instanceof HTTPException && err.status === 400) return errorReply(c, 'INVALID_INPUT', `The request body is not valid: ${err.message}.`);
  if (err instanceof HTTPException && err.status === 413) return errorReply(c, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
  return handleError(err, c);
}

export function modelsRoutes(lathe: Lathe): OpenAPIHono {
  const models: ModelsService = lathe.models;
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError(onError);

  app.openapi(routes.create, async (c) => c.json(await models.create(c.req.valid('json')), 201));
  app.openapi(routes.list, async (c) => c.json({ models: await models.list() }, 200));
  app.openapi(routes.get, async (c) => c.json(await models.get(c.req.valid('param').id), 200));
  app.openapi(routes.update, async (c) => c.json(await models.update(c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(routes.saveDraft, async (c) =>
    c.json(await models.saveDraft(c.req.valid('param').id, c.req.valid('json').configuration), 200),
  );
  app.openapi(routes.discardDraft, async (c) => c.json(await models.discardDraft(c.req.valid('param').id), 200));
  app.openapi(routes.train, async (c) => c.json(await models.train(c.req.valid('param').id), 202));
  app.openapi(routes.newVersion, async (c) => c.json(await models.newVersion(c.req.valid('param').id, c.req.valid('json').from), 201));
  app.openapi(routes.retrain, async (c) => c.json(await models.retrain(c.req.valid('param').id, c.req.valid('json').from), 202));
  app.openapi(routes.publish, async (c) => c.json(await models.publish(c.req.valid('param').id), 200));
  app.openapi(routes.unpublish, async (c) => c.json(await models.unpublish(c.req.valid('param').id), 200));
  app.openapi(routes.rollback, async (c) => c.json(await models.rollback(c.req.valid('param').id, c.req.valid('json').version), 200));
  app.openapi(routes.quickTest, async (c) => c.json(await models.quickTest(c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(routes.predict, async (c) => {
    const { rows, explain } = c.req.valid('json');
    return c.json(await models.predict(c.req.valid('param').id, rows, { explain }), 200);
  });
  app.openapi(routes.inputs, async (c) =>
    c.json({ fields: await models.inputs(c.req.valid('param').id, c.req.valid('query').version) }, 200),
  );
  app.openapi(routes.history, async (c) => c.json(await models.history(c.req.valid('param').id), 200));
  app.openapi(routes.version, async (c) => {
    const { id, version } = c.req.valid('param');
    return c.json(await models.version(id, version), 200);
  });
  app.openapi(routes.compare, async (c) => {
    const { a, b } = c.req.valid('query');
    return c.json(await models.compare(c.req.valid('param').id, a, b), 200);
  });
  app.openapi(routes.delete, async (c) => {
    await models.delete(c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(routes.getRun, async (c) => c.json(await models.getRun(c.req.valid('param').id), 200));
  app.openapi(routes.cancelRun, async (c) => c.json(await models.cancelRun(c.req.valid('param').id), 200));
  app.openapi(routes.runEvents, async (c) => {
    const { id } = c.req.valid('param');
    // Looked up before the stream opens, so an unknown run answers 404 with the standard error body.
    await models.getRun(id);
    // The declared 200 content is text/event-stream, which the typed JSON reply cannot express.
    return streamSSE(c, (stream) => streamRun(models, id, stream)) as never;
  });
  return app;
}
