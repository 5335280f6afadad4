/**
 * Async iterator fed by push(). Unlike an async generator, return() takes effect at once even
 * while a next() is pending (a generator would wait for its current await, i.e. the next
 * upstream event), so a client unsubscribing closes the upstream immediately.
 */
export class ResultQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly waiting: Array<(result: IteratorResult<T>) => void> = [];
  private ended = false;

  /**
   * `onReturn` runs once when the consumer stops before the queue ended on its own. A consumer
   * that falls `maxBuffered` values behind gets `overflow()` as its last value and the stream
   * ends (the upstream is released): a slow client cannot grow gateway memory without bound.
   */
  constructor(
    private readonly onReturn: () => void,
    private readonly maxBuffered = 1000,
    private readonly overflow?: () => T,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  push(value: T): void {
    if (this.ended) return;
    const resolve = this.waiting.shift();
    if (resolve) resolve({ value, done: false });
    else if (this.buffer.length < this.maxBuffered) this.buffer.push(value);
    else {
      if (this.overflow) this.buffer.push(this.overflow());
      this.end();
      this.onReturn();
    }
  }

  /** No more values will come; values already buffered are still delivered. */
  end(): void {
    this.ended = true;
    for (const resolve of this.waiting.splice(0)) resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift() as T, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    const wasEnded = this.ended;
    this.buffer.length = 0;
    this.end();
    if (!wasEnded) this.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
