/**
 * A value held in isolate memory in front of a slower store (KV, D1), so a
 * hot request path reads memory instead of the network:
 *
 * - younger than `freshMs`: used as it is;
 * - older, up to `staleMs`: used while a new copy loads in the background
 *   (kept alive by the request's `waitUntil`);
 * - older than that, or never loaded: the request waits for the load.
 *
 * One load runs at a time, however many requests ask. Whoever changes the
 * stored value in this isolate `set`s it too, so the change is seen here at
 * once; other isolates see it within `freshMs`, or `staleMs` at the most.
 */
export class Held<T> {
  private held?: { value: T; at: number };
  private loading?: Promise<T>;

  constructor(
    private readonly name: string,
    private readonly freshMs: number,
    private readonly staleMs = Number.POSITIVE_INFINITY,
  ) {}

  async get(load: () => Promise<T>, waitUntil?: (work: Promise<unknown>) => void): Promise<T> {
    const held = this.held;
    const age = held ? Date.now() - held.at : Number.POSITIVE_INFINITY;
    if (held && age < this.freshMs) return held.value;
    if (held && age < this.staleMs) {
      const refresh = this.reload(load).catch((error: unknown) => console.warn(JSON.stringify({ event: `${this.name}.refresh_failed`, error: String(error) })));
      waitUntil?.(refresh);
      return held.value;
    }
    return this.reload(load);
  }

  /** The value held now, however old, if any. */
  peek(): T | undefined {
    return this.held?.value;
  }

  /** Drops the value: the next `get` waits for a load. */
  forget(): void {
    this.held = undefined;
  }

  /** Holds `value` as fresh: the store was just given it. */
  set(value: T): void {
    this.held = { value, at: Date.now() };
  }

  private reload(load: () => Promise<T>): Promise<T> {
    this.loading ??= load()
      .then((value) => {
        this.set(value);
        return value;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
