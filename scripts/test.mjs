// `npm test`: generate the Prisma client, then build, type-check and test every workspace with
// turbo. Integration tests need PostgreSQL and Redis: DATABASE_URL / REDIS_URL, defaulting to the
// local servers (each test file clones its own database from a migrated template).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || `postgresql://${process.env.USER || 'postgres'}@localhost:5432/postgres`,
  REDIS_URL: process.env.REDIS_URL || 'redis://localhost:6379',
};

function step(args) {
  const r = spawnSync('npm', args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Workspaces write jest-results.json; the totals end the run on one plain line. */
function workspaceResults() {
  const dirs = ['gateway', 'test', 'bench', ...['packages', 'subgraphs'].flatMap((d) => readdirSync(path.join(root, d)).map((n) => path.join(d, n)))];
  return dirs.map((d) => path.join(root, d, 'jest-results.json')).filter((f) => existsSync(f));
}

for (const f of workspaceResults()) rmSync(f);
step(['run', '--silent', 'generate']);
const run = spawnSync('npm', ['exec', '--', 'turbo', 'run', 'build', 'typecheck', 'test', '--output-logs=new-only', '--concurrency=2', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
let passed = 0;
let failed = 0;
for (const f of workspaceResults()) {
  const r = JSON.parse(readFileSync(f, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : run.status || 1);
