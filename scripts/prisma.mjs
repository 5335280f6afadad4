// Prisma CLI wrapper. `generate` needs no database (a placeholder URL satisfies the schema's
// env("DATABASE_URL")); `migrate deploy` and `check` (schema ↔ migrations drift) need DATABASE_URL.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prisma = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');

function run(args, env = process.env) {
  const r = spawnSync(process.execPath, [prisma, ...args], { cwd: root, env, stdio: 'inherit' });
  return r.status ?? 1;
}

const [command, ...rest] = process.argv.slice(2);
let code;
if (command === 'generate') {
  // Always the same placeholder: the generated client must not depend on the caller's environment
  // (it would differ between runs and defeat turbo's build cache).
  code = run(['generate', ...rest], { ...process.env, DATABASE_URL: 'postgresql://placeholder/unused', PRISMA_HIDE_UPDATE_MESSAGE: '1' });
} else if (!process.env.DATABASE_URL) {
  console.error(`DATABASE_URL must be set for "prisma ${command}" (the embedded database migrates itself on start)`);
  code = 2;
} else if (command === 'check') {
  code = run(['migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema-datamodel', 'prisma/schema.prisma', '--exit-code']);
  if (code === 2) console.error('prisma/schema.prisma and prisma/migrations disagree: create a migration (see README "Changing the data model")');
} else {
  code = run([command, ...rest]);
}
process.exit(code);
