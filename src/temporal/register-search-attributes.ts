import type { Connection } from '@temporalio/client';
// A CommonJS module: its namespaces arrive on the default export under Node's ESM loader.
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../../workflows/contract';

const ALREADY_EXISTS = 6;

/**
 * Registers the booking search attributes (Keyword) on a server that lacks them — an
 * external cluster or the time-skipping test server; the dev server gets them at start.
 * One at a time, so attributes that already exist are simply skipped.
 */
export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  for (const key of Object.values(SEARCH_ATTRIBUTES)) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [key.name]: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
      });
    } catch (error) {
      if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
    }
  }
}
