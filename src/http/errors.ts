import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type AppErrorCode } from '../app/errors.ts';
import { formatBytes } from './input-guard.ts';
import { publicAnswerToBadUrl } from './routes/mail.routes.ts';

const STATUS: Record<AppErrorCode, number> = {
  invalid_request: 400,
  invalid_cadence: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  unprocessable: 422,
  rate_limited: 429,
};

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  return reply.status(status).send({ error: { code, message, ...(details !== undefined ? { details } : {}) } });
}

/**
 * The one error mapper at the edge (DESIGN §5): typed errors to their status, bad
 * input to a 400 that names the field, anything else to a logged 500 with no stack.
 */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return sendError(reply, STATUS[error.code], error.code, error.message, error.details);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const details = error.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    return sendError(reply, 400, 'invalid_request', details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit;
    return sendError(reply, 413, 'payload_too_large', `the body is larger than ${formatBytes(limit)}, the most ${request.method} ${request.routeOptions.url ?? 'this route'} takes`);
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendError(reply, 415, 'unsupported_media_type', error.message);
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return sendError(reply, 400, 'malformed_json', `the body is not valid JSON: ${error.message}`);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, error.statusCode, (error.code ?? 'bad_request').toLowerCase(), error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, 500, 'internal', 'an internal error occurred; it has been logged');
}

/**
 * Fastify's refusals before a route is found (a URL whose percent-encoding does not
 * decode, a path parameter over 100 characters): the house error shape, while a
 * public page keeps its kind (the pixel is a GIF, the others an HTML page).
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const page = publicAnswerToBadUrl(request.url);
  if (page) return reply.status(page.status).type(page.type).header('cache-control', 'no-store, max-age=0').send(page.body);
  if (error.code === 'FST_ERR_BAD_URL') return sendError(reply, 400, 'bad_url', 'the URL does not decode: a percent-encoded part is not UTF-8');
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, 414, 'uri_too_long', 'a path segment is longer than 100 characters');
  return errorHandler(error, request, reply);
}
