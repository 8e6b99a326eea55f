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
