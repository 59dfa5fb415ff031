/**
 * A map whose entries expire `ttlMs` after they were last set, with a size cap (oldest evicted
 * first). Adapters use it for what they must remember for a while and no longer: which reply
 * answers which message (edit → re-run), which events were already handled (de-duplication),
 * which message text was already seen (to avoid rate-limited history calls).
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    this.entries.delete(key); // re-insert so iteration order stays oldest-first
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    this.evict();
    return this;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expires > now) break;
      this.entries.delete(key);
    }
  }
}
