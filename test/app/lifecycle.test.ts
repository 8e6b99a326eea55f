import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Lifecycle, StoppingError, workerPart, type Part } from '../../src/app/lifecycle';

const silent = pino({ level: 'silent' });

function recorder() {
  const events: string[] = [];
  const part = (name: string, options: { failStart?: boolean; failStop?: boolean } = {}): Part<string> => ({
    name,
    start() {
      events.push(`start ${name}`);
      if (options.failStart) throw new Error(`${name} refused`);
      return name;
    },
    stop(value) {
      events.push(`stop ${value}`);
      if (options.failStop) throw new Error(`${name} stuck`);
    },
  });
  return { events, part };
}

describe('Lifecycle', () => {
  it('starts parts in order, hands back what each started, and stops them in reverse once', async () => {
    const app = new Lifecycle(silent);
    const { events, part } = recorder();
    expect(await app.start(part('database'))).toBe('database');
    await app.start(part('temporal'));
    await app.start(part('api'));
    await Promise.all([app.stop('SIGTERM'), app.stop('SIGINT')]);
    await app.stopped();
    expect(events).toEqual(['start database', 'start temporal', 'start api', 'stop api', 'stop temporal', 'stop database']);
    expect(app.exitCode).toBe(0);
  });

  it('on a failure while starting, stops only the parts that started, in reverse, and exits with 1', async () => {
    const app = new Lifecycle(silent);
    const { events, part } = recorder();
    await app.start(part('database'));
    await app.start(part('temporal'));
    const error = await app.start(part('worker', { failStart: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    await app.stop('startup failure', error);
    expect(events).toEqual(['start database', 'start temporal', 'start worker', 'stop temporal', 'stop database']);
    expect(app.exitCode).toBe(1);
  });

  it('keeps stopping the others when one part fails to stop', async () => {
    const app = new Lifecycle(silent);
    const { events, part } = recorder();
    await app.start(part('database'));
    await app.start(part('bots', { failStop: true }));
    await app.start(part('api'));
    await app.stop('SIGINT');
    expect(events.filter((e) => e.startsWith('stop'))).toEqual(['stop api', 'stop bots', 'stop database']);
  });

  it('a part still starting when the stop comes is stopped with the others; nothing starts afterwards', async () => {
    const app = new Lifecycle(silent);
    const events: string[] = [];
    let release!: () => void;
    const slow = app.start({
      name: 'temporal',
      start: () => new Promise<string>((resolve) => (release = () => resolve('temporal'))),
      stop: () => void events.push('stop temporal'),
    });
    await new Promise((resolve) => setImmediate(resolve)); // the part is starting
    const stopping = app.stop('SIGINT');
    release();
    await expect(slow).rejects.toBeInstanceOf(StoppingError);
    await stopping;
    expect(events).toEqual(['stop temporal']);
    await expect(app.start({ name: 'api', start: () => 'api', stop: () => undefined })).rejects.toBeInstanceOf(StoppingError);
  });

  it('stops the app when a part ends on its own, with a failure if it failed', async () => {
    const ok = new Lifecycle(silent);
    ok.stopWhen(Promise.resolve(), 'chat closed');
    await ok.stopped();
    expect(ok.exitCode).toBe(0);

    const failed = new Lifecycle(silent);
    failed.stopWhen(Promise.reject(new Error('worker crashed')), 'worker stopped');
    await failed.stopped();
    expect(failed.exitCode).toBe(1);
  });

  it('drains a worker: shutdown, then waits for run() to end, before the parts below it stop', async () => {
    const app = new Lifecycle(silent);
    const events: string[] = [];
    await app.start({ name: 'connection', start: () => 'connection', stop: () => void events.push('connection closed') });
    let state = 'RUNNING';
    let finish!: () => void;
    const worker = {
      getState: () => state,
      run: () => new Promise<void>((resolve) => (finish = resolve)),
      shutdown: () => {
        events.push('shutdown');
        state = 'DRAINING';
        // Activities in flight finish a little later.
        setTimeout(() => {
          events.push('run ended');
          finish();
        }, 20);
      },
    };
    await app.start(workerPart(app, () => Promise.resolve(worker as never)));
    await app.stop('SIGTERM');
    expect(events).toEqual(['shutdown', 'run ended', 'connection closed']);
  });
});
