import { createHash } from 'node:crypto';

/**
 * How every secret that identifies someone is kept at rest (API tokens, chat link codes,
 * calendar feed URLs): its SHA-256 in hex, never the secret itself. The secrets are long
 * random strings, so a plain hash (no salt, no stretching) is enough and lets a presented
 * secret be looked up by its hash.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
