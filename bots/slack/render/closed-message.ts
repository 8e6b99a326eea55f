import type { types } from '@slack/bolt';
import { escapeMrkdwn, fit } from './slack-text';

const MAX_TEXT = 3000;
const CHOICE_BLOCK_ID = 'choice';
const TEXT_BLOCK_ID = 'text';

/**
 * How a press on the message ended: the engine said how it went (`outcome`, e.g. "Approved:
 * …"), or it simply moved on and the message records what was chosen (`choice`).
 */
export type Closing = { outcome: string } | { choice: string };

const isBlock = (block: unknown): block is types.KnownBlock & { block_id?: string } => typeof block === 'object' && block !== null && typeof (block as { type?: unknown }).type === 'string';

/**
 * A posted message once one of its buttons has done its work: the same blocks without the
 * actions, so nobody presses them again. An outcome replaces the question (which no longer
 * applies) and the summary fields stay; a choice is added as a line under the question.
 */
export function closedBlocks(postedBlocks: readonly unknown[], closing: Closing): types.KnownBlock[] {
  const kept = postedBlocks.filter(isBlock).filter((block) => block.type !== 'actions' && block.block_id !== CHOICE_BLOCK_ID);
  if ('choice' in closing) {
    return [...kept, { type: 'context', block_id: CHOICE_BLOCK_ID, elements: [{ type: 'mrkdwn', text: fit(`✓ ${escapeMrkdwn(closing.choice)}`, MAX_TEXT) }] }];
  }
  const outcome: types.SectionBlock = { type: 'section', block_id: TEXT_BLOCK_ID, text: { type: 'mrkdwn', text: fit(escapeMrkdwn(closing.outcome), MAX_TEXT) } };
  return [outcome, ...kept.filter((block) => block.block_id !== TEXT_BLOCK_ID)];
}
