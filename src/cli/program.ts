import { Command } from 'commander';
import { bookingsCommand } from './commands/bookings';
import { calendarCommand } from './commands/calendar';
import { creditsCommand, packagesCommand, paymentsCommand } from './commands/credits';
import { demoCommand } from './commands/demo';
import { policyCommand } from './commands/policy';
import { requestsCommand } from './commands/requests';
import { slotsCommand } from './commands/slots';
import { tokensCommand } from './commands/tokens';
import { trainersCommand } from './commands/trainers';
import { usersCommand } from './commands/users';
import type { CliContext } from './context';

/**
 * The operator CLI. Commander's own exits are turned into errors (`exitOverride`), so the
 * entry point decides the exit code and tests can run commands in-process.
 */
export function buildCliProgram(ctx: CliContext, writeErr: (text: string) => void = (text) => process.stderr.write(text)): Command {
  const program = new Command('booking-cli')
    .description('Operate the trainer booking assistant: people, tokens, trainers, availability, requests, bookings, policies, packs, payments, credits and calendar feeds')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => ctx.print(text.trimEnd()), writeErr });
  for (const command of [usersCommand(ctx), tokensCommand(ctx), trainersCommand(ctx), slotsCommand(ctx), demoCommand(ctx), requestsCommand(ctx), bookingsCommand(ctx), policyCommand(ctx), packagesCommand(ctx), paymentsCommand(ctx), creditsCommand(ctx), calendarCommand(ctx)]) {
    program.addCommand(command);
  }
  // Settings are not inherited by commands added this way: give them to every level.
  const configure = (command: Command): void => {
    command.exitOverride().showHelpAfterError().configureOutput({ writeOut: (text) => ctx.print(text.trimEnd()), writeErr });
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}
