import { BatchLoader, RequestLoaders } from '../src/batch-loader';

describe('BatchLoader', () => {
  it('answers loads of the same tick with one batch call, and caches per key', async () => {
    const calls: string[][] = [];
    const loader = new BatchLoader<string, number>(async (keys) => {
      calls.push([...keys]);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
    });
    const [a, b, c, missing] = await Promise.all([loader.load('a'), loader.load('bb'), loader.load('a'), loader.load('missing')]);
    expect([a, b, c, missing]).toEqual([1, 2, 1, undefined]);
    expect(calls).toEqual([['a', 'bb', 'missing']]);
    expect(await loader.load('bb')).toBe(2);
    expect(calls).toHaveLength(1);
  });

  it('rejects every load of a failed batch', async () => {
    const loader = new BatchLoader<string, number>(async () => {
      throw new Error('db down');
    });
    await expect(Promise.all([loader.load('a'), loader.load('b')])).rejects.toThrow('db down');
  });

  it('RequestLoaders keeps one loader per name', () => {
    const loaders = new RequestLoaders();
    const fn = async () => new Map<string, number>();
    expect(loaders.get('x', fn)).toBe(loaders.get('x', fn));
  });
});
