import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { Notification, Notifier } from '../../../src/notifications/notification';

/**
 * A notifier for a worker in another process: each delivery is appended to a file as one
 * JSON line, synchronously, so a SIGKILL right after a delivery cannot lose it.
 */
export class FileNotifier implements Notifier {
  constructor(private readonly path: string) {}

  notify(notification: Notification): Promise<void> {
    appendFileSync(this.path, `${JSON.stringify(notification)}\n`);
    return Promise.resolve();
  }
}

/** Every delivery written so far (a killed writer may leave a partial last line, which is skipped). */
export function readDeliveries(path: string): Notification[] {
  if (!existsSync(path)) return [];
  const deliveries: Notification[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      deliveries.push(JSON.parse(line) as Notification);
    } catch {
      // The line a killed process was writing.
    }
  }
  return deliveries;
}
