import { Writable } from 'node:stream';
import { createLogger } from '../src/logger';

describe('logger redaction', () => {
  it('never writes tokens, secrets, keys or ciphertext', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const real = createLogger('info', {}, sink);
    real.info(
      {
        authorization: 'Bearer eyJsecret',
        req: { headers: { authorization: 'Bearer eyJsecret2', cookie: 'c=1' } },
        token: 'tok-123',
        input: { value: 'plaintext-value', token: 'tok-456', deeper: { secret: 'nested-secret' } },
        secret: 's3cr3t',
        ciphertext: 'Y2lwaGVy',
        privateKey: 'pk',
        connectionParams: { Authorization: 'Bearer x' },
        keep: 'visible',
      },
      'event',
    );
    const out = lines.join('');
    for (const leaked of ['eyJsecret', 'tok-123', 'tok-456', 'plaintext-value', 's3cr3t', 'Y2lwaGVy', '"pk"', 'Bearer x', 'nested-secret']) expect(out).not.toContain(leaked);
    expect(out).toContain('visible');
    expect(out).toContain('[redacted]');
  });
});
