import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The layer rules of eslint.config.js, proven on planted imports: each illegal one is an
// error of `layers/imports`, each legal one is not. The files need not exist (the paths
// place the planted code in a layer), so type information is switched off: the project
// service only knows files on disk, and the layer rules do not need types.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT, overrideConfig: tseslint.configs.disableTypeChecked });
});

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

const illegal: [layer: string, file: string, code: string, says: RegExp][] = [
  ['src/ → bots/', 'src/slots/planted.ts', "import { PlatformAdapters } from '../../bots/core/adapter';\nexport const a = PlatformAdapters;", /src\/ .*imports nothing from bots\//],
  ['src/ → activities/ (types too)', 'src/cli/commands/planted.ts', "import type { ActivityDeps } from '../../../activities/booking-activities';\nexport type A = ActivityDeps;", /imports nothing from bots\/, activities\//],
  ['src/ → src/app/', 'src/api/routes/planted.ts', "import { runApp } from '../../app/lifecycle';\nexport const a = runApp;", /src\/app\//],
  ['src/ → src/app/, dynamically', 'src/cli/planted.ts', "export const load = () => import('../app/lifecycle');", /src\/app\//],
  ['src/ → a workflows/ value', 'src/api/views/planted.ts', "import { workflowIdFor } from '../../../workflows/contract';\nexport const a = workflowIdFor;", /only types from workflows\//],
  ['src/ re-exports a workflows/ value', 'src/requests/planted.ts', "export { workflowIdFor } from '../../workflows/contract';", /only types from workflows\//],
  ['src/temporal/ → the workflow function', 'src/temporal/planted.ts', "import { bookingRequestWorkflow } from '../../workflows/booking-request.workflow';\nexport const a = bookingRequestWorkflow;", /values from the workflow contract/],
  ['src/domain/ → another src/ folder', 'src/domain/planted.ts', "import { logger } from '../logger';\nexport const a = logger;", /src\/domain\/ is pure/],
  ['src/domain/ → a package', 'src/domain/planted.ts', "import { DateTime } from 'luxon';\nexport const a = DateTime;", /src\/domain\/ is pure/],
  ['workflows/ → an activities/ value', 'workflows/planted.ts', "import { createActivities } from '../activities/booking-activities';\nexport const a = createActivities;", /workflows\/ imports values only from/],
  ['workflows/ → a src/ value outside the domain', 'workflows/planted.ts', "import { toSlotOption } from '../src/slots/slot-option';\nexport const a = toSlotOption;", /workflows\/ imports values only from/],
  ['workflows/ → an inline type import (still loads the module)', 'workflows/planted.ts', "import { type Notifier } from '../src/notifications/notification';\nexport type A = Notifier;", /workflows\/ imports values only from/],
  ['workflows/ → a package value', 'workflows/planted.ts', "import { z } from 'zod';\nexport const a = z;", /among packages/],
  ['activities/ → bots/', 'activities/planted.ts', "import { PlatformAdapters } from '../bots/core/adapter';\nexport const a = PlatformAdapters;", /activities\/ imports nothing from bots\//],
  ['activities/ → src/app/', 'activities/planted.ts', "import { createBookingWorker } from '../src/app/booking-worker';\nexport const a = createBookingWorker;", /activities\/ imports nothing from bots\/ or src\/app\//],
  ['bots/ → activities/', 'bots/engine/planted.ts', "import { createActivities } from '../../activities/booking-activities';\nexport const a = createActivities;", /bots\/ imports nothing from activities\//],
  ['bots/ → src/app/', 'bots/slack/planted.ts', "import { startChatBots } from '../../src/app/chat-bots';\nexport const a = startChatBots;", /bots\/ imports nothing from activities\/ or src\/app\//],
  ['bots/ → the workflow function', 'bots/engine/planted.ts', "import { bookingRequestWorkflow } from '../../workflows/booking-request.workflow';\nexport const a = bookingRequestWorkflow;", /bots\/ imports only types from workflows\//],
];

const legal: [layer: string, file: string, code: string][] = [
  ['src/api/ → its own app.ts (not src/app/)', 'src/api/routes/planted.ts', "import { buildApiApp } from '../app';\nexport const a = buildApiApp;"],
  ['src/ → workflows/ types', 'src/api/planted.ts', "import type { Actor } from '../../workflows/contract';\nexport type A = Actor;"],
  ['src/temporal/ → contract values', 'src/temporal/planted.ts', "import { stateQuery } from '../../workflows/contract';\nexport const a = stateQuery;"],
  ['src/temporal/ → the future contract file', 'src/temporal/planted.ts', "import { stateQuery } from '../../workflows/contract';\nexport const a = stateQuery;"],
  ['src/domain/ → src/domain/', 'src/domain/planted.ts', "import { MINUTE_MS } from './time';\nexport const a = MINUTE_MS;"],
  ['workflows/ → Temporal, the domain, its own files and types', 'workflows/planted.ts', "import { sleep } from '@temporalio/workflow';\nimport { ApplicationFailure } from '@temporalio/common';\nimport { MINUTE_MS } from '../src/domain/time';\nimport { stateQuery } from './definitions';\nimport type { BookingActivities } from '../activities/booking-activities';\nimport type { Logger } from 'pino';\nexport const a = [sleep, ApplicationFailure, MINUTE_MS, stateQuery];\nexport type B = [BookingActivities, Logger];"],
  ['activities/ → src/ and workflow contract values', 'activities/planted.ts', "import { SEARCH_ATTRIBUTES } from '../workflows/contract';\nimport { logger } from '../src/logger';\nexport const a = [SEARCH_ATTRIBUTES, logger];"],
  ['bots/ → src/ and contract values', 'bots/engine/planted.ts', "import { redeemLinkCode } from '../../src/identity/link-codes';\nimport { workflowIdFor } from '../../workflows/contract';\nexport const a = [redeemLinkCode, workflowIdFor];"],
  ['src/app/ → every layer', 'src/app/planted.ts', "import { createActivities } from '../../activities/booking-activities';\nimport { PlatformAdapters } from '../../bots/core/adapter';\nimport { bookingRequestWorkflow } from '../../workflows/booking-request.workflow';\nexport const a = [createActivities, PlatformAdapters, bookingRequestWorkflow];"],
  ['test/ → anything', 'test/planted.test.ts', "import { createActivities } from '../activities/booking-activities';\nimport { startChatBots } from '../src/app/chat-bots';\nexport const a = [createActivities, startChatBots];"],
];

describe('layer rules (eslint.config.js)', () => {
  it.each(illegal)('refuses %s', async (_layer, file, code, says) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(says);
  });

  it.each(legal)('allows %s', async (_layer, file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
