import { Command } from 'commander';
import { loadDemoData } from '../../demo/demo-data';
import type { CliContext } from '../context';

export function demoCommand(ctx: CliContext): Command {
  const demo = new Command('demo').description('Demo data');
  demo
    .command('load')
    .description('Two demo trainers with two weeks of availability, and a demo client (safe to run again)')
    .action(async () => {
      const em = (await ctx.orm()).em.fork();
      const data = await loadDemoData(em);
      for (const trainer of data.trainers) ctx.print(`Trainer ${trainer.id}: ${trainer.user.username} (${trainer.timeZone})`);
      ctx.print(`Client ${data.client.id}: ${data.client.username}`);
    });
  return demo;
}
