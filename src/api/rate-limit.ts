import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors';
import { errorSchema } from './schemas/common';

/** Writes per minute per token when API_WRITE_RATE_PER_MINUTE is unset. */
export const DEFAULT_WRITE_RATE_PER_MINUTE = 30;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isWrite = (method: string | string[]): boolean => (Array.isArray(method) ? method : [method]).some((m) => WRITE_METHODS.has(m.toUpperCase()));

/** Who a write counts against: the caller's user, or the bootstrap admin token (set by the authentication hook). */
function callerKey(request: FastifyRequest): string {
  const caller = request.caller as FastifyRequest['caller'] | null;
  if (!caller) return `ip:${request.ip}`;
  return caller.userId === null ? 'bootstrap-admin' : `user:${caller.userId}`;
}

/**
 * Limits writes (POST, PUT, PATCH, DELETE) per caller to `perMinute` in a sliding minute;
 * reads are never limited. Past it the answer is 429 with `Retry-After` (seconds) and the
 * API's error body naming the rule, `rate_limited`. Registered inside the authenticated
 * scope, after the authentication hook, so a caller is counted by who they are, not by
 * address; every write route there also documents the 429. `perMinute` 0: no limit.
 */
export async function registerWriteRateLimit(scope: FastifyInstance, perMinute: number): Promise<void> {
  if (perMinute <= 0) return;
  scope.addHook('onRoute', (route) => {
    if (!isWrite(route.method) || !route.schema) return;
    route.schema.response = { ...(route.schema.response as Record<number, unknown> | undefined), 429: errorSchema };
  });
  await scope.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    hook: 'onRequest',
    keyGenerator: callerKey,
    allowList: (request) => !isWrite(request.method),
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new ApiError(429, 'rate_limited', `Too many changes: at most ${context.max} writes per minute per API token; try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`);
    },
  });
}
