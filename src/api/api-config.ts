import { z } from 'zod';

/**
 * The HTTP API's settings, from the environment. `ADMIN_API_TOKEN` is the bootstrap
 * credential: whoever presents it acts as an admin, so it must be long and random.
 * The same variables, with the same rules, may also be part of the app's main config;
 * `startApi` takes any object that has these.
 */
// An empty variable means "not set", as it does for most tools.
const unset = (value: unknown): unknown => (value === '' ? undefined : value);

const schema = z.object({
  API_HOST: z.preprocess(unset, z.string().regex(/^\S+$/, 'must be an address such as 127.0.0.1 or 0.0.0.0').default('127.0.0.1')),
  API_PORT: z.preprocess(unset, z.coerce.number().int().min(0).max(65535).default(8080)),
  /** Where people reach the API, for calendar links; unset: http://API_HOST:API_PORT. */
  PUBLIC_BASE_URL: z.preprocess(unset, z.url({ protocol: /^https?$/ }).optional()),
  ADMIN_API_TOKEN: z.preprocess(unset, z.string().regex(/^\S{32,}$/, 'must be at least 32 characters without spaces (for example `openssl rand -hex 32`)').optional()),
  /** Writes (POST, PUT, DELETE) per minute per API token; 0 switches the limit off; unset means DEFAULT_WRITE_RATE_PER_MINUTE. */
  API_WRITE_RATE_PER_MINUTE: z.preprocess(unset, z.coerce.number().int().min(0).max(100_000).optional()),
});

export type ApiConfig = z.infer<typeof schema>;

export class ApiConfigError extends Error {
  override name = 'ApiConfigError';
}

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    // Never echo the values: ADMIN_API_TOKEN is a secret.
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ApiConfigError(`Invalid API configuration — ${problems.join('; ')}`);
  }
  return result.data;
}
