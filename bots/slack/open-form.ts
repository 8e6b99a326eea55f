import type { webApi } from '@slack/bolt';
import { logger } from '../../src/logger';
import type { FormRequest } from '../core/messages';
import { formView, type FormMetadata } from './render/modal';

const log = logger.child({ component: 'slack' });

/**
 * Opens the engine's form as a modal. The `trigger_id` of the press that asked for it is
 * valid for about 3 seconds and once; when it has run out the caller asks in words instead.
 */
export async function openForm(client: webApi.WebClient, triggerId: string, form: FormRequest, metadata: FormMetadata): Promise<boolean> {
  try {
    await client.views.open({ trigger_id: triggerId, view: formView(form, metadata) });
    return true;
  } catch (error) {
    log.warn({ err: error, formId: form.id }, 'could not open a modal; asking in a message instead');
    return false;
  }
}
