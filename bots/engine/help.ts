import type { Action } from '../core/messages';
import { reply, type Reply } from '../core/replies';
import { ACTIONS } from './action-ids';
import type { DialogueContext } from './dialogue-context';

/** What the bot can do, with a button for each; `lead` replaces the first sentence. */
export function helpReply(context: DialogueContext, lead?: string): Reply {
  const trainer = context.me.trainerId !== null;
  const actions: Action[] = [
    { kind: 'button', id: ACTIONS.menu, value: 'book', label: 'Book a session', style: 'primary' },
    { kind: 'button', id: ACTIONS.menu, value: 'list', label: 'My bookings' },
    ...(trainer
      ? [
          { kind: 'button' as const, id: ACTIONS.menu, value: 'publish', label: 'Publish availability' },
          { kind: 'button' as const, id: ACTIONS.menu, value: 'policy', label: 'Booking rules' },
          { kind: 'button' as const, id: ACTIONS.sellPack, value: '', label: 'Sell a pack' },
          { kind: 'button' as const, id: ACTIONS.menu, value: 'low', label: 'Low credits' },
        ]
      : [{ kind: 'button' as const, id: ACTIONS.menu, value: 'credits', label: 'My credits' }]),
  ];
  const text =
    lead ??
    [
      `Hi ${context.me.fullName}! Write "book" to book a training session (you can say it all at once: "book 90 min next week, mornings 10-12, weekends fine"), or a weekly series ("book every Tuesday 18:00 for 10 weeks", "every other Monday at 7 until March", "weekly Tue and Thu 7:00, 8 sessions"; all dates or none, unless you choose "available dates only"), "my bookings" to see, cancel (a session of a series alone, or it and all following), move or withdraw yours`,
      trainer
        ? '(you set notice, booking horizon, buffers, cancellation cutoff, per-client limits and auto-approval; clients see your notice and cutoff in the summary before they confirm, and their cancel inside the cutoff counts as late),'
        : '(each trainer\'s rules, such as notice and the late-cancellation cutoff, are shown before you confirm),',
      trainer ? '"publish Mon-Fri 9-17 for the next 2 weeks" to add availability, "block Fri 14-18" or "time off 24-26 Dec" to remove free slots, "policy" to see and change your booking rules,' : '',
      trainer
        ? '"sell a pack to Jamie" (or "record payment") to record what a client paid for a pack, "credits for Jamie" to see their balance and movements, "low credits" for clients running out, "packs" to list, create or stop selling your packs,'
        : '"my credits" to see your session packs: credits left per trainer, when they expire, and what used them,',
      '"calendar" for a private link your phone calendar can subscribe to ("revoke calendar" ends it),',
      '"timezone Europe/Berlin" to set your time zone, or "cancel" to stop what we are doing.',
    ]
      .filter(Boolean)
      .join(' ');
  return reply({ text, actions });
}
