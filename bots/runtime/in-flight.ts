/**
 * The deliveries still being handled. Platforms are acknowledged before the work is done
 * (ack first), so stopping a bot must wait for that work: otherwise a shutdown cuts a
 * dialogue step off between its database write and its reply.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = (): void => {
      this.running.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  async drained(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
