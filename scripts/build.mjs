// Transpile a workspace's src/**/*.ts to dist/**/*.js (CommonJS) with swc. Types are checked
// separately by `tsc --noEmit` (the `typecheck` task), so the build stays fast.
// Files are replaced atomically (write + rename) and stale ones removed afterwards, so a process
// already running from dist/ (or starting while a rebuild runs) never sees a half-empty folder.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rename, rm, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';

const cwd = process.cwd();
const src = path.join(cwd, 'src');
const out = path.join(cwd, 'dist');

async function* walk(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

async function replace(target, write) {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  await write(tmp);
  await rename(tmp, target);
}

const written = new Set();
for await (const file of walk(src)) {
  const rel = path.relative(src, file);
  if (file.endsWith('.d.ts')) continue;
  if (/\.(m|c)?ts$/.test(file)) {
    const { code, map } = await transformFile(file, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: true,
    });
    const target = path.join(out, rel.replace(/\.(m|c)?ts$/, '.js'));
    await replace(target, (tmp) => writeFile(tmp, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`));
    written.add(target);
    if (map) {
      await replace(`${target}.map`, (tmp) => writeFile(tmp, map));
      written.add(`${target}.map`);
    }
  } else {
    // Non-TS assets (wasm, graphql, json) are copied as they are.
    const target = path.join(out, rel);
    await replace(target, (tmp) => copyFile(file, tmp));
    written.add(target);
  }
}
for await (const file of walk(out)) {
  if (!written.has(file)) await rm(file, { force: true });
}
