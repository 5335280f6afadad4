// The platform as a user runs it: `npm start` on the embedded database, and a production-style
// process that is sent SIGTERM while a subscription is live.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { SHUTDOWN_CLOSE_CODE } from '@talos/kit';
import { ROOT, createTestDatabase, post, startProcess } from '../src/harness';

function baseEnv(stateDir: string): Record<string, string | undefined> {
  const { DATABASE_URL: _d, REDIS_URL: _r, DATABASE_READ_URL: _rr, ...rest } = process.env;
  // NODE_ENV=test (set by jest) would hide signal-handling bugs that users hit: run as they do.
  return { ...rest, NODE_ENV: 'development', TALOS_ENV: 'development', LOG_LEVEL: 'warn', PORT: '0', TALOS_SUBGRAPH_BASE_PORT: '0', TALOS_STATE_DIR: stateDir };
}

describe('run modes', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'talos-life-'));
    dirs.push(d);
    return d;
  };

  it('`npm start` boots the embedded platform, answers a query and stops cleanly on SIGINT', async () => {
    const p = await startProcess('npm', ['start', '--silent'], baseEnv(tmp()));
    try {
      expect(p.output()).toContain('embedded PostgreSQL');
      expect(p.output()).toContain('GraphiQL:');
      const r = await post(p.gatewayUrl, { query: '{ me { id effectivePermissions } }' }, { authorization: `Bearer ${p.token}` });
      expect(r.data).toEqual({ me: { id: 'admin', effectivePermissions: ['*:*'] } });
      const graphiql = await fetch(p.gatewayUrl.replace(/graphql$/, 'graphiql'));
      expect(graphiql.status).toBe(200);
      expect(await graphiql.text()).toContain(p.token);
      // Apollo Sandbox (development landing page), preloaded with the token and example operations.
      const sandbox = await (await fetch(p.gatewayUrl, { headers: { accept: 'text/html' } })).text();
      expect(sandbox).toMatch(/sandbox/i);
      expect(sandbox).toContain(p.token);
      expect(sandbox).toContain('query Me');
    } finally {
      process.kill(-p.child.pid!, 'SIGINT'); // Ctrl-C
    }
    // npm re-raises the signal on itself, so it reports SIGINT rather than 0; what matters is
    // that the platform under it shut down: its port no longer answers.
    const code = await p.exited;
    expect(code === 0 || p.child.signalCode === 'SIGINT').toBe(true);
    await expect(fetch(p.gatewayUrl.replace(/graphql$/, 'health/live'))).rejects.toThrow();
  }, 120_000);

  it('SIGTERM during a live subscription closes it with the documented code and exits 0', async () => {
    const db = await createTestDatabase();
    try {
      const env = { ...baseEnv(tmp()), DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL, TALOS_BUS_PREFIX: `life${process.pid}` };
      const p = await startProcess(process.execPath, [path.join(ROOT, 'packages/cli/dist/talos.js'), 'start'], env);
      let closeCode: number | undefined;
      const client = createClient({
        url: p.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: `Bearer ${p.token}` },
        retryAttempts: 0,
        on: { closed: (e) => (closeCode = (e as { code: number }).code) },
      });
      const events: unknown[] = [];
      const done = new Promise<void>((resolve) => {
        client.subscribe({ query: 'subscription { auditEvents(chain: "policy") { action } }' }, { next: (v) => events.push(v), error: () => resolve(), complete: () => resolve() });
      });
      // Wait until the subscription is live, proven by an event it delivers.
      for (let i = 0; i < 100 && events.length === 0; i++) {
        await post(p.gatewayUrl, { query: `mutation { upsertPrincipal(input: { id: "life-${i}" }) { id } }` }, { authorization: `Bearer ${p.token}` });
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(events[0]).toEqual({ data: { auditEvents: { action: 'rbac.principal_upsert' } } });
      p.child.kill('SIGTERM');
      await done;
      expect(closeCode).toBe(SHUTDOWN_CLOSE_CODE);
      expect(await p.exited).toBe(0);
      await client.dispose();
    } finally {
      await db.drop();
    }
  }, 120_000);
});
