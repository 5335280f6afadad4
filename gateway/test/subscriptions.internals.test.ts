import { PlanCache } from '../src/subscriptions/planCache';
import { ResultQueue } from '../src/subscriptions/resultQueue';

test('PlanCache evicts the least recently used entry beyond its bound', () => {
  const cache = new PlanCache<number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  expect(cache.get('a')).toBe(1); // 'b' is now the least recently used
  cache.set('c', 3);
  expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
});

test('ResultQueue delivers buffered values after end() but drops them on return()', async () => {
  const onReturn = jest.fn();
  const ended = new ResultQueue<number>(onReturn);
  ended.push(1);
  ended.end();
  expect(await ended.next()).toEqual({ value: 1, done: false });
  expect(await ended.next()).toEqual({ value: undefined, done: true });
  await ended.return();
  expect(onReturn).not.toHaveBeenCalled(); // it had already ended on its own

  const returned = new ResultQueue<number>(onReturn);
  const pending = returned.next();
  await returned.return();
  returned.push(2);
  expect(await pending).toEqual({ value: undefined, done: true });
  expect(await returned.next()).toEqual({ value: undefined, done: true });
  expect(onReturn).toHaveBeenCalledTimes(1);
});

test('a consumer that falls too far behind gets the overflow result and the stream ends', async () => {
  let returned = 0;
  const queue = new ResultQueue<number>(() => returned++, 3, () => -1);
  for (let i = 1; i <= 5; i++) queue.push(i);
  const seen: number[] = [];
  for await (const v of queue) seen.push(v);
  expect(seen).toEqual([1, 2, 3, -1]);
  expect(returned).toBe(1);
});
