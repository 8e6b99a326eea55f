/**
 * An answer other than success, decided by a route: its HTTP status, a stable code, one
 * sentence, the field at fault, and anything else the body should carry (fresh options).
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: { field?: string } & Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'Send a valid API token as "Authorization: Bearer <token>".'): ApiError => new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string): ApiError => new ApiError(403, 'forbidden', message);
export const notFound = (what: string, id: number): ApiError => new ApiError(404, 'not_found', `${what} ${id} does not exist.`);
export const invalidField = (field: string, message: string, extra: Record<string, unknown> = {}): ApiError =>
  new ApiError(422, 'validation_error', `${field}: ${message}`, { field, ...extra });

/** camelCase (our domain's field names) to the API's snake_case. */
export const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * A field as the domain names it (a camelCase path of NewBookingRequest, e.g.
 * `preferences.preferredEndDate`, `recurrence.conflictMode`, `durationMinutes`) as the API
 * names it: a request's preferences are top-level fields here, its recurrence keeps its
 * dotted prefix (`recurrence.conflict_mode`, `recurrence.weekdays.0`).
 */
export function apiFieldOf(domainField: string): string {
  const [head, ...rest] = domainField.split('.');
  if (head === 'recurrence') return ['recurrence', ...rest.map(snakeCase)].join('.');
  return snakeCase(domainField.split('.').at(-1) ?? domainField);
}
