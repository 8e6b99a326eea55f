import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/policy`: a trainer sees and changes their booking rules (notice, horizon, buffers, cutoff, limits, approval). */
export const policyCommand: SlashCommand = {
  definition: chatInputCommand({ name: 'policy', description: 'Trainers: see and change your booking rules (notice, buffers, cutoff, limits)' }),
  toText: () => 'policy',
};
