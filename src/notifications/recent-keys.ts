/**
 * The most recent keys seen, up to `capacity`: enough to recognise a Temporal retry of the
 * same notification (retries come within minutes) without growing for the life of a worker.
 */
export class RecentKeys {
  // A Set keeps insertion order, so the first entry is always the oldest.
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
  }
}
