import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { CreditNotice, CreditNotifier, Notification, Notifier } from '../../../src/notifications/notification';

/**
 * A notifier for a worker in another process: each delivery is appended to a file as one
 * JSON line, synchronously, so a SIGKILL right after a delivery cannot lose it. Pack notices
 * (issue 13) go to `<path>.credits`.
 */
export class FileNotifier implements Notifier, CreditNotifier {
  constructor(private readonly path: string) {}

  notify(notification: Notification): Promise<void> {
    appendFileSync(this.path, `${JSON.stringify(notification)}\n`);
    return Promise.resolve();
  }

  notifyCredits(notice: CreditNotice): Promise<void> {
    appendFileSync(`${this.path}.credits`, `${JSON.stringify(notice)}\n`);
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
