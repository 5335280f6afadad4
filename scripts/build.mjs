// Transpile a workspace's src/**/*.ts to dist/**/*.js (CommonJS) with swc. Types are checked
// separately by `tsc --noEmit` (the `typecheck` task), so the build stays fast.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';

const cwd = process.cwd();
const src = path.join(cwd, 'src');
const out = path.join(cwd, 'dist');

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

await rm(out, { recursive: true, force: true });
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
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (map) await writeFile(`${target}.map`, map);
  } else {
    // Non-TS assets (wasm, graphql, json) are copied as they are.
    const target = path.join(out, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(file, target);
  }
}
