import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/bookings`: your upcoming bookings and open requests, with buttons to move or cancel them. */
export const bookingsCommand: SlashCommand = {
  definition: chatInputCommand({ name: 'bookings', description: 'See your bookings and requests; move or cancel them' }),
  toText: () => 'my bookings',
};
