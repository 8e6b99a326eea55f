import { loadConfig } from './config';
import { createDemoRequest, loadDemoData } from './demo/demo-data';
import { printRankedSlots } from './demo/print-ranked-slots';
import { logger } from './logger';
import { openDatabase } from './runtime/database';
import { rankSlotsForRequest } from './slots/rank-slots';

/**
 * The system on its embedded defaults: database (embedded PostgreSQL unless DATABASE_URL),
 * migrations, demo trainers and availability, and a ranked slot list for a demo request.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const em = database.orm.em.fork();
    const demo = await loadDemoData(em);
    const request = await createDemoRequest(em, demo);
    const ranked = await rankSlotsForRequest(em, request.id, { maxResults: 5 });
    printRankedSlots(request, demo.trainers[0]!, ranked);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'failed to start');
  process.exitCode = 1;
});
