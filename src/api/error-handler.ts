import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { CreditInputError, NoCreditError } from '../domain/credits/errors';
import { PolicyRefusalError } from '../domain/policy/errors';
import { ApiError } from './errors';

const FRAMEWORK_ERRORS: Record<number, string> = { 400: 'bad_request', 404: 'not_found', 406: 'not_acceptable', 413: 'payload_too_large', 415: 'unsupported_media_type' };

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
  [extra: string]: unknown;
}

/** Where the field at fault lives, for the message: a body field is named bare, others say where. */
function fieldName(context: string | undefined, instancePath: string): string {
  const path = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  if (context === 'body' || context === undefined) return path || 'body';
  return path || context;
}

/**
 * Turns every failure into the API's one error shape. Request validation is 422 naming the
 * field (as FastAPI, the seed's framework, answers); a refusal by the trainer's policy is 422
 * with the rule's code (e.g. policy_limit_pending) and its sentence, as is a client without the credit the trainer asks
 * for (credit_none, the sentence naming the trainer's packs); input the credit ledger cannot store is 422 naming the
 * field (amount_minor, currency, …) with its sentence; unparseable JSON is 400; a bug is a 500
 * that says nothing about its cause to the caller and everything to the log.
 */
export function handleApiError(error: FastifyError | ApiError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let body: ErrorBody;
  if (error instanceof ApiError) {
    body = { statusCode: error.statusCode, error: error.code, message: error.message, ...error.extra };
  } else if (error instanceof PolicyRefusalError) {
    // The trainer's policy said no (src/domain/policy): the rule's code for programs, its sentence for people.
    body = { statusCode: 422, error: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) };
  } else if (error instanceof NoCreditError) {
    // The trainer asks for a credit and the client has none that fits: the sentence names the trainer's packs and prices.
    body = { statusCode: 422, error: error.code, message: error.message, needed: error.shortfall.needed, available: error.shortfall.available };
  } else if (error instanceof CreditInputError) {
    body = { statusCode: 422, error: 'validation_error', message: error.message, field: error.field };
  } else if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0]!;
    const field = fieldName(error.validationContext, issue.instancePath);
    body = { statusCode: 422, error: 'validation_error', message: `${field}: ${issue.message}`, field };
  } else if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response does not match its schema');
    body = { statusCode: 500, error: 'internal_error', message: 'The server could not answer this request.' };
  } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    // Fastify's own refusals: malformed JSON, an unsupported media type, a body too large.
    body = { statusCode: error.statusCode, error: FRAMEWORK_ERRORS[error.statusCode] ?? 'bad_request', message: error.message };
  } else {
    request.log.error({ err: error }, 'request failed');
    body = { statusCode: 500, error: 'internal_error', message: 'The server could not answer this request; it has been logged.' };
  }
  return reply.code(body.statusCode).type('application/json').send(body);
}
