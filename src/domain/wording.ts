/**
 * The sentences people read when a rule refuses them, in one place: the workflow, the API,
 * the booking client and the chat all show these words, never their own.
 */
export const REFUSALS = {
  notAddressedTrainer: 'Only the trainer this request is addressed to can approve or reject it.',
  notBookingTrainer: 'Only the trainer of this booking can record how it went.',
  notParty: 'Only the client, the trainer or an admin can cancel or reschedule this booking.',
  notRequestClient: 'Only the client who made this request (or an admin) can withdraw it.',
} as const;
