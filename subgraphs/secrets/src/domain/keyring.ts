// KEK provider (reference §2.3), validated eagerly when the secrets service starts — the reference
// only validated on first use (§10.11). Malformed TALOS_KEK_<id> values already stop loadConfig; this
// adds the rules that only the secrets service needs: a current KEK that is set and loaded.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config, type Logger } from '@talos/kit';
import { b64uEncode, decodeKek, KEK_ID_RE, type Keyring } from '@talos/protocol';

export const DEV_KEK_ID = 'dev';
const DEV_KEK_FILE = 'secrets-dev-kek.json';

export class KekRing implements Keyring {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    readonly currentKekId: string,
    keys: Map<string, Buffer>,
  ) {
    this.keys = keys;
  }

  get(kekId: string): Buffer | undefined {
    return this.keys.get(kekId);
  }

  has(kekId: string): boolean {
    return this.keys.has(kekId);
  }

  get current(): Buffer {
    return this.keys.get(this.currentKekId)!;
  }

  get loadedKekIds(): string[] {
    return [...this.keys.keys()].sort();
  }
}

/** A development KEK under the state dir (0600), generated once; never used outside development. */
function developmentKek(stateDir: string): string {
  const file = path.join(stateDir, DEV_KEK_FILE);
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { key: string }).key;
  mkdirSync(stateDir, { recursive: true });
  const key = b64uEncode(randomBytes(32));
  writeFileSync(file, JSON.stringify({ id: DEV_KEK_ID, key }, null, 2), { mode: 0o600 });
  return key;
}

/**
 * Builds the ring from configuration or refuses with a ConfigError naming the variable. Only
 * development mode with no KEK configured at all falls back to a generated key, and says so loudly.
 */
export function loadKekRing(config: Config, logger: Logger): KekRing {
  const { keks, currentKekId } = config.secrets;
  const keys = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(keks)) keys.set(id, decodeKek(value));
  if (currentKekId === undefined) {
    if (config.development && keys.size === 0) {
      const file = path.join(config.stateDir, DEV_KEK_FILE);
      keys.set(DEV_KEK_ID, decodeKek(developmentKek(config.stateDir)));
      logger.warn(
        { kekFile: file },
        `DEVELOPMENT KEK IN USE: secrets are encrypted with a generated key stored in ${file}. ` +
          'Never use this outside development: set TALOS_KEK_<id> and TALOS_CURRENT_KEK_ID.',
      );
      return new KekRing(DEV_KEK_ID, keys);
    }
    throw new ConfigError('TALOS_CURRENT_KEK_ID', 'is required by the secrets service (the KEK id new secrets are encrypted with)');
  }
  if (!KEK_ID_RE.test(currentKekId)) throw new ConfigError('TALOS_CURRENT_KEK_ID', 'must match [a-z0-9][a-z0-9_-]{0,31}');
  if (!keys.has(currentKekId)) {
    throw new ConfigError('TALOS_CURRENT_KEK_ID', `names KEK "${currentKekId}" but TALOS_KEK_${currentKekId} is not set`);
  }
  return new KekRing(currentKekId, keys);
}
