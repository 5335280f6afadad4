// KEK ring (reference §2.3): eager validation, and the development-only generated KEK.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, createLogger } from '@talos/kit';
import { loadKekRing } from '../src/domain/keyring';

const KEY = Buffer.alloc(32, 3).toString('base64url');
const logger = createLogger('silent');

describe('loadKekRing', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'talos-kek-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every configured KEK and the current one', () => {
    const ring = loadKekRing(loadConfig({ TALOS_ENV: 'production', DATABASE_URL: 'postgresql://x@h/db', TALOS_KEK_OLD: KEY, TALOS_KEK_new: KEY, TALOS_CURRENT_KEK_ID: 'new' }), logger);
    expect(ring.currentKekId).toBe('new');
    expect(ring.loadedKekIds).toEqual(['new', 'old']);
  });

  it('refuses a missing current KEK outside development, naming the variable', () => {
    for (const env of ['test', 'production']) {
      const config = loadConfig({ TALOS_ENV: env, DATABASE_URL: 'postgresql://x@h/db', TALOS_STATE_DIR: dir });
      expect(() => loadKekRing(config, logger)).toThrow(ConfigError);
      expect(() => loadKekRing(config, logger)).toThrow(/TALOS_CURRENT_KEK_ID/);
    }
  });

  it('development without any KEK generates one under the state dir (0600), the same on the next start', () => {
    const config = loadConfig({ TALOS_ENV: 'development', TALOS_STATE_DIR: dir });
    const first = loadKekRing(config, logger);
    const second = loadKekRing(config, logger);
    expect(first.currentKekId).toBe('dev');
    expect(first.current.equals(second.current)).toBe(true);
    expect(statSync(path.join(dir, 'secrets-dev-kek.json')).mode & 0o777).toBe(0o600);
  });

  it('development with a partial configuration still refuses (no silent fallback)', () => {
    expect(() => loadKekRing(loadConfig({ TALOS_ENV: 'development', TALOS_STATE_DIR: dir, TALOS_KEK_A: KEY }), logger)).toThrow(/TALOS_CURRENT_KEK_ID/);
  });
});
