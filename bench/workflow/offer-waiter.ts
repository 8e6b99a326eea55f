import { nowMs } from '../support/stats';

interface Offer<T> {
  atMs: number;
  options: T[];
}

/**
 * Where the benchmark's "trainer" learns that options were sent: the workers' notifiers
 * report here, and the trainer presses a button the moment they arrive. An offer may come
 * before anyone waits for it (the workflow can outrun the start call's reply).
 */
export class OfferWaiter<T> {
  private readonly arrived = new Map<string, Offer<T>>();
  private readonly waiting = new Map<string, (offer: Offer<T>) => void>();

  offered(key: string, options: T[]): void {
    const offer = { atMs: nowMs(), options };
    const waiter = this.waiting.get(key);
    if (waiter) {
      this.waiting.delete(key);
      waiter(offer);
    } else this.arrived.set(key, offer);
  }

  wait(key: string, timeoutMs = 30_000): Promise<Offer<T>> {
    const offer = this.arrived.get(key);
    if (offer) {
      this.arrived.delete(key);
      return Promise.resolve(offer);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`no options offered for ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(key, (arrival) => {
        clearTimeout(timer);
        resolve(arrival);
      });
    });
  }
}
