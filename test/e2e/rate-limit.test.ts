// Per-principal rate limiting at the gateway (shared through Redis when REDIS_URL is set).
import { startStack, codeOf, type Stack } from '../src/harness';

describe('rate limiting', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TALOS_RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => stack?.stop());

  it('answers 429 RATE_LIMITED (retryable) past the limit, per principal', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await stack.gql('{ me { id } }', {}, stack.adminToken);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(codeOf(last!)).toBe('RATE_LIMITED');
    expect(last!.errors![0].extensions!.retryable).toBe(true);
    // Another caller (anonymous, counted by address) has its own budget.
    expect((await stack.gql('{ __typename }')).status).toBe(200);
  });
});
