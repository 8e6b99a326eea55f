/** What a person reads when something failed on our side, on every platform. */
export const APOLOGY = 'Something went wrong on my side; please try again in a moment.';

/** What a person reads after pressing a control this bot did not make (an older version's, another app's). */
export const UNKNOWN_CONTROL = 'That control is no longer in use; write "help" to see what I can do.';

/** What a person reads when they send more than the chat rate allows (CHAT_RATE_PER_MINUTE). */
export const RATE_LIMITED = "You're sending messages faster than I can keep up; please wait a minute and try again.";
