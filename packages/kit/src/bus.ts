// The one bus: publish/subscribe between processes plus the rate-limit counter store. Redis
// (ioredis) when REDIS_URL is set — required for more than one replica — otherwise in-process.
import { EventEmitter } from 'node:events';
import Redis from 'ioredis';
import type { Config } from './config';
import type { Logger } from './logger';

export type BusHandler = (message: unknown) => void;

export interface Bus {
  readonly kind: 'redis' | 'memory';
  publish(topic: string, message: unknown): Promise<void>;
  /** Resolves once the subscription is active, so a publish after it is never missed. */
  subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>>;
  /** Fixed-window counter: increments `key` in the current window and returns the new count. */
  hit(key: string, windowMs: number): Promise<number>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly events = new EventEmitter();
  private readonly counters = new Map<string, { window: number; count: number }>();

  constructor(private readonly prefix: string) {
    this.events.setMaxListeners(0);
  }

  async publish(topic: string, message: unknown): Promise<void> {
    // Serialise like Redis does, so both buses deliver identical, unshared objects.
    const copy = JSON.parse(JSON.stringify(message)) as unknown;
    this.events.emit(`${this.prefix}:${topic}`, copy);
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    const name = `${this.prefix}:${topic}`;
    this.events.on(name, handler);
    return async () => {
      this.events.off(name, handler);
    };
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const window = Math.floor(Date.now() / windowMs);
    const entry = this.counters.get(key);
    if (!entry || entry.window !== window) {
      if (this.counters.size > 100_000) this.counters.clear();
      this.counters.set(key, { window, count: 1 });
      return 1;
    }
    return ++entry.count;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
  }
}

class RedisBus implements Bus {
  readonly kind = 'redis' as const;
  private readonly handlers = new Map<string, Set<BusHandler>>();

  constructor(
    private readonly prefix: string,
    private readonly command: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {
    subscriber.on('message', (channel: string, raw: string) => {
      const set = this.handlers.get(channel);
      if (!set) return;
      let message: unknown;
      try {
        message = JSON.parse(raw);
      } catch {
        this.logger.warn({ channel }, 'dropped a malformed bus message');
        return;
      }
      for (const handler of set) handler(message);
    });
  }

  async publish(topic: string, message: unknown): Promise<void> {
    await this.command.publish(`${this.prefix}:${topic}`, JSON.stringify(message));
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    const channel = `${this.prefix}:${topic}`;
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await this.subscriber.subscribe(channel);
    }
    set.add(handler);
    return async () => {
      const current = this.handlers.get(channel);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) {
        this.handlers.delete(channel);
        await this.subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  async hit(key: string, windowMs: number): Promise<number> {
    // Window derived from the Redis server clock would need Lua; the window index from our clock
    // is only a bucket name, the TTL bounds memory either way.
    const bucket = `${this.prefix}:rl:${key}:${Math.floor(Date.now() / windowMs)}`;
    const [[, count]] = (await this.command.multi().incr(bucket).pexpire(bucket, windowMs * 2).exec()) as [[null, number]];
    return count;
  }

  async ping(): Promise<boolean> {
    return (await this.command.ping()) === 'PONG';
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.allSettled([this.subscriber.quit(), this.command.quit()]);
  }
}

export async function openBus(config: Config, logger: Logger): Promise<Bus> {
  if (!config.redisUrl) return new MemoryBus(config.busPrefix);
  const options = { maxRetriesPerRequest: 2, enableAutoPipelining: true, lazyConnect: true };
  const command = new Redis(config.redisUrl, options);
  const subscriber = new Redis(config.redisUrl, { ...options, enableAutoPipelining: false });
  for (const conn of [command, subscriber]) conn.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  await Promise.all([command.connect(), subscriber.connect()]);
  return new RedisBus(config.busPrefix, command, subscriber, logger);
}

/**
 * Bridges a bus topic to an async iterator for GraphQL subscriptions. Messages are buffered (up to
 * `maxBuffered`) so a slow consumer loses nothing until the bound, then the stream fails loudly.
 */
export async function busIterator<T>(bus: Bus, topic: string, filter: (m: T) => boolean = () => true, maxBuffered = 10_000): Promise<AsyncIterableIterator<T>> {
  const queue: T[] = [];
  const waiting: Array<(r: IteratorResult<T>) => void> = [];
  let done = false;
  let overflow = false;
  const unsubscribe = await bus.subscribe(topic, (m) => {
    const message = m as T;
    if (done || !filter(message)) return;
    const next = waiting.shift();
    if (next) next({ value: message, done: false });
    else if (queue.length < maxBuffered) queue.push(message);
    else overflow = true;
  });
  const finish = async (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      await unsubscribe();
      for (const w of waiting.splice(0)) w({ value: undefined, done: true });
    }
    return { value: undefined, done: true };
  };
  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    next(): Promise<IteratorResult<T>> {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (overflow) return finish().then(() => Promise.reject(new Error('subscription buffer overflow')));
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return: finish,
    throw: async (err?: unknown) => {
      await finish();
      throw err;
    },
  };
  return iterator;
}
