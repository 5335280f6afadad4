// Secrets (reference §2.2, §2.4): envelope-encrypted values, the AAD bound to the row's UUIDv7 id.
// Plaintext leaves this module only through reveal(); it is never logged, audited or put in an error.
import { auditedTransaction, ErrorCode, TalosError, type Actor, type Runtime } from '@talos/kit';
import { decryptEnvelope, encryptEnvelope, isProtocolError, secretAad, uuidv7, type SecretEnvelope } from '@talos/protocol';
import type { KekRing } from './keyring';
import { SecretStore, type EnvelopeColumns, type SecretRow } from '../store/secret-store';

export const AUDIT_CHAIN = 'secrets';
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.:\/-]{0,254}$/;
export const MAX_VALUE_BYTES = 65_536;

export const bad = (message: string, field: string) => new TalosError(ErrorCode.BAD_USER_INPUT, message, { field });

export function validateName(name: string): string {
  if (!NAME_RE.test(name)) throw bad('name must be 1-255 characters of [A-Za-z0-9_.:/-], starting with a letter or digit', 'name');
  return name;
}

export function toEnvelope(row: EnvelopeColumns): SecretEnvelope {
  return {
    kek_id: row.kekId,
    nonce_b64u: row.nonce,
    ciphertext_b64u: row.ciphertext,
    tag_b64u: row.tag,
    ...(row.aad !== null ? { aad_b64u: row.aad } : {}),
  };
}

function columns(e: SecretEnvelope): EnvelopeColumns {
  return { kekId: e.kek_id, nonce: e.nonce_b64u, ciphertext: e.ciphertext_b64u, tag: e.tag_b64u, aad: e.aad_b64u ?? null };
}

/** Encrypts under `kekId` with AAD "talos.secret.v1:<id>" (new writes always bind the id). */
export function seal(ring: KekRing, id: string, plaintext: Uint8Array | string, kekId = ring.currentKekId, nonce?: Uint8Array): EnvelopeColumns {
  const kek = ring.get(kekId);
  if (!kek) throw new TalosError('KEK_NOT_LOADED', `KEK ${kekId} is not loaded`);
  return columns(encryptEnvelope({ kekId, kek, plaintext, aad: secretAad(id), nonce }));
}

/**
 * Decrypts a stored row with the AAD it must carry. Legacy rows were bound to the secret name: that
 * binding is tried only when the id binding fails with DECRYPT_FAILED (§2.2), never for other errors.
 */
export function open(ring: KekRing, row: EnvelopeColumns & { id: string; name: string }): Buffer {
  const envelope = toEnvelope(row);
  try {
    try {
      return decryptEnvelope(envelope, { keyring: ring, aad: secretAad(row.id) });
    } catch (err) {
      if (!isProtocolError(err) || err.code !== 'DECRYPT_FAILED') throw err;
      return decryptEnvelope(envelope, { keyring: ring, aad: Buffer.from(row.name, 'utf8') });
    }
  } catch (err) {
    if (isProtocolError(err)) throw new TalosError(err.code, err.code === 'KEK_NOT_LOADED' ? err.message : 'The secret could not be decrypted', { kekId: row.kekId });
    throw err;
  }
}

export class SecretVault {
  constructor(
    private readonly runtime: Runtime,
    readonly ring: KekRing,
  ) {}

  async put(actor: Actor, name: string, value: string): Promise<SecretRow> {
    validateName(name);
    if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) throw bad(`value must be at most ${MAX_VALUE_BYTES} bytes`, 'value');
    const { db, bus } = this.runtime;
    try {
      return await auditedTransaction(db, bus, AUDIT_CHAIN, async (tx, audit) => {
        const existing = await SecretStore.byName(tx, name);
        const row = existing
          ? await SecretStore.replace(tx, existing.id, seal(this.ring, existing.id, value))
          : await (async () => {
              const id = uuidv7();
              return SecretStore.create(tx, { id, name, createdBy: actor.principal.id, ...seal(this.ring, id, value) });
            })();
        await audit({
          principalId: actor.principal.id,
          requestId: actor.requestId,
          action: existing ? 'secrets.secret_update' : 'secrets.secret_create',
          resourceType: 'secret',
          resourceId: row.id,
          details: { name, version: row.version, kek_id: row.kekId },
        });
        return row;
      });
    } catch (err) {
      // Two first writes of one name raced: the loser retries (and then replaces).
      if ((err as { code?: string }).code === 'P2002') throw new TalosError(ErrorCode.CONFLICT, 'The secret was created concurrently; retry', { name }, true);
      throw err;
    }
  }

  async delete(actor: Actor, name: string): Promise<SecretRow> {
    validateName(name);
    const { db, bus } = this.runtime;
    return auditedTransaction(db, bus, AUDIT_CHAIN, async (tx, audit) => {
      const row = await SecretStore.byName(tx, name);
      if (!row) throw new TalosError(ErrorCode.NOT_FOUND, `No secret named ${name}`, { name });
      await SecretStore.delete(tx, row.id);
      await audit({ principalId: actor.principal.id, requestId: actor.requestId, action: 'secrets.secret_delete', resourceType: 'secret', resourceId: row.id, details: { name, version: row.version } });
      return row;
    });
  }

  /** The plaintext; every attempt is audited (a failed decrypt as a `failure` event). */
  async reveal(actor: Actor, name: string): Promise<{ row: SecretRow; value: string }> {
    validateName(name);
    const { db, bus } = this.runtime;
    let failure: TalosError | undefined;
    const result = await auditedTransaction(db, bus, AUDIT_CHAIN, async (tx, audit) => {
      const row = await SecretStore.byName(tx, name);
      if (!row) throw new TalosError(ErrorCode.NOT_FOUND, `No secret named ${name}`, { name });
      let value: string | undefined;
      try {
        value = open(this.ring, row).toString('utf8');
      } catch (err) {
        if (!(err instanceof TalosError)) throw err;
        failure = err;
      }
      await audit({
        principalId: actor.principal.id,
        requestId: actor.requestId,
        action: 'secrets.secret_reveal',
        resourceType: 'secret',
        resourceId: row.id,
        status: failure ? 'failure' : 'success',
        details: { name, version: row.version, kek_id: row.kekId, ...(failure ? { error: failure.code } : {}) },
      });
      return { row, value };
    });
    if (failure) throw failure;
    return { row: result.row, value: result.value! };
  }
}

