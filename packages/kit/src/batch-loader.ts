// Per-request batching: loads requested in the same tick are answered by one call (an `_entities`
// fetch of 50 principals becomes one query, not 50).
export type BatchFn<K, V> = (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>;

export class BatchLoader<K, V> {
  private pending: Array<{ key: K; resolve: (v: V | undefined) => void; reject: (e: unknown) => void }> = [];
  private readonly cache = new Map<K, Promise<V | undefined>>();

  constructor(private readonly batch: BatchFn<K, V>) {}

  load(key: K): Promise<V | undefined> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const promise = new Promise<V | undefined>((resolve, reject) => {
      if (this.pending.length === 0) process.nextTick(() => this.flush());
      this.pending.push({ key, resolve, reject });
    });
    this.cache.set(key, promise);
    return promise;
  }

  private flush(): void {
    const work = this.pending;
    this.pending = [];
    this.batch(work.map((w) => w.key)).then(
      (found) => work.forEach((w) => w.resolve(found.get(w.key))),
      (err: unknown) => work.forEach((w) => w.reject(err)),
    );
  }
}

/** One loader per name per request, created on first use. */
export class RequestLoaders {
  private readonly loaders = new Map<string, BatchLoader<unknown, unknown>>();

  get<K, V>(name: string, batch: BatchFn<K, V>): BatchLoader<K, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new BatchLoader(batch as BatchFn<unknown, unknown>);
      this.loaders.set(name, loader);
    }
    return loader as BatchLoader<K, V>;
  }
}
