// `npm test`: generate the Prisma client, then build, type-check and test every workspace with
// turbo. Integration tests need PostgreSQL and Redis: DATABASE_URL / REDIS_URL, defaulting to the
// local servers (each test file clones its own database from a migrated template).
import { spawnSync } from 'node:child_process';
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

step(['run', '--silent', 'generate']);
step(['exec', '--', 'turbo', 'run', 'build', 'typecheck', 'test', '--output-logs=new-only', '--concurrency=2', ...process.argv.slice(2)]);
