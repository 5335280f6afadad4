// KEK rotation (reference §2.5, fixing §10.12–10.14): one executor kind — a worker in every secrets
// process — re-wraps every secret to the operation's recorded targetKekId.
//
// Leader election: each batch is one transaction that first takes pg_try_advisory_xact_lock on
// ROTATION_LOCK_KEY. Only the holder reads the operation and touches secrets, and a batch's re-wraps,
// cursor and stats commit (or roll back) together, so a kill -9 mid-batch loses nothing and frees the
// lock with its connection. Transaction-scoped rather than a session lock on a dedicated connection:
// it works through the Prisma pool and on single-connection PGlite alike, and never outlives a crash.
// Leadership is sticky through a lease on the operation row (leaderId, leaseUntil): another process
// takes over only once the lease has expired (the leader died or stalled), counted in `takeovers`.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { auditedTransaction, ErrorCode, TalosError, type Actor, type AuditInput, type Logger, type Runtime, type Tx } from '@talos/kit';
import { KEK_ID_RE, uuidv7 } from '@talos/protocol';
import type { KekRing } from './keyring';
import { AUDIT_CHAIN, open, seal } from './secret-vault';
import { SecretStore, type RotationRow, type SecretRow } from '../store/secret-store';

/** Bus topics: progress carries the operation row after every committed change; wake nudges workers. */
export const PROGRESS_TOPIC = 'secrets.rotation.progress';
const WAKE_TOPIC = 'secrets.rotation.wake';
const ROTATION_LOCK_KEY = 8_273_649_827_364_982n;
const START_LOCK_KEY = 8_273_649_827_364_983n;
export const WORKER_PRINCIPAL = 'system:rotation-worker';
const MAX_CONSECUTIVE_ERRORS = 5;

export const isTerminal = (op: Pick<RotationRow, 'status'>) => op.status !== 'running';

export async function startRotation(runtime: Runtime, ring: KekRing, actor: Actor, targetKekId?: string | null): Promise<RotationRow> {
  const target = targetKekId ?? ring.currentKekId;
  if (!KEK_ID_RE.test(target)) throw new TalosError(ErrorCode.BAD_USER_INPUT, 'targetKekId must match [a-z0-9][a-z0-9_-]{0,31}', { field: 'targetKekId' });
  if (!ring.has(target)) throw new TalosError('KEK_NOT_LOADED', `KEK ${target} is not loaded by this service`, { targetKekId: target });
  const op = await auditedTransaction(runtime.db, runtime.bus, AUDIT_CHAIN, async (tx, audit) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${START_LOCK_KEY})`;
    const running = await SecretStore.runningRotation(tx);
    if (running) throw new TalosError('ROTATION_ALREADY_RUNNING', 'A rotation is already running', { operationId: running.id });
    const created = await SecretStore.createRotation(tx, { id: uuidv7(), targetKekId: target, startedBy: actor.principal.id });
    await audit({ principalId: actor.principal.id, requestId: actor.requestId, action: 'secrets.rotation_start', resourceType: 'rotation', resourceId: created.id, details: { target_kek_id: target } });
    return created;
  });
  await runtime.bus.publish(PROGRESS_TOPIC, op);
  await runtime.bus.publish(WAKE_TOPIC, { id: op.id });
  return op;
}

type Outcome = 'worked' | 'idle' | 'busy';

interface BatchStats {
  scanned: number;
  rotated: number;
  skipped: number;
  conflicts: number;
  failed: number;
}

export class RotationWorker {
  /** Host, pid and a random suffix: unique per process start, readable in `leaderId`. */
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private stopped = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private unsubscribe?: () => Promise<void>;
  private consecutiveErrors = 0;
  private readonly logger: Logger;

  constructor(
    private readonly runtime: Runtime,
    private readonly ring: KekRing,
  ) {
    this.logger = runtime.logger.child({ component: 'rotation-worker', workerId: this.id });
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.runtime.bus.subscribe(WAKE_TOPIC, () => this.wake?.());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.unsubscribe?.();
    // Hand over at once instead of making the next leader wait for the lease.
    await this.runtime.db.write.rotationOperation
      .updateMany({ where: { status: 'running', leaderId: this.id }, data: { leaseUntil: new Date() } })
      .catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { rotationThrottleMs, rotationPollMs } = this.runtime.config.secrets;
    while (!this.stopped) {
      let outcome: Outcome | 'error';
      try {
        outcome = await this.runBatch();
        this.consecutiveErrors = 0;
      } catch (err) {
        outcome = 'error';
        await this.onError(err);
      }
      if (this.stopped) break;
      await this.sleep(outcome === 'worked' ? rotationThrottleMs : rotationPollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One batch under the advisory lock; everything it changes commits together. */
  async runBatch(): Promise<Outcome> {
    const { db, bus, config } = this.runtime;
    const { rotationBatchSize, rotationLeaseMs } = config.secrets;
    let progressed: RotationRow | undefined;
    const outcome = await auditedTransaction(db, bus, AUDIT_CHAIN, async (tx, audit): Promise<Outcome> => {
      const [{ locked }] = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(${ROTATION_LOCK_KEY}) AS locked`;
      if (!locked) return 'busy';
      const op = await SecretStore.runningRotation(tx);
      if (!op) return 'idle';
      const now = new Date();
      const mine = op.leaderId === this.id;
      if (!mine && op.leaderId !== null && op.leaseUntil !== null && op.leaseUntil > now) return 'busy';
      // Rolling restarts: a process without the target KEK leaves the operation to one that has it (§10.13).
      if (!this.ring.has(op.targetKekId)) return 'busy';

      const rows = await SecretStore.batchAfter(tx, op.cursor, rotationBatchSize);
      const stats: BatchStats = { scanned: 0, rotated: 0, skipped: 0, conflicts: 0, failed: 0 };
      let firstFailure: string | undefined;
      // Decrypt and re-seal the batch, then one CAS update for all of it; rows a concurrent write
      // changed first are re-read and re-wrapped one by one.
      const sealed: Array<SecretRow> = [];
      for (const row of rows) {
        stats.scanned++;
        if (row.kekId === op.targetKekId) {
          stats.skipped++;
          continue;
        }
        try {
          sealed.push({ ...row, ...seal(this.ring, row.id, open(this.ring, row), op.targetKekId) });
        } catch (err) {
          stats.failed++;
          firstFailure ??= `${row.name}: ${err instanceof TalosError ? err.code : 'ERROR'}`;
        }
      }
      const updated = await SecretStore.rewrapMany(tx, sealed);
      stats.rotated += updated.size;
      for (const row of sealed) {
        if (updated.has(row.id)) continue;
        stats.conflicts++;
        const fresh = await SecretStore.byId(tx, row.id);
        const result = fresh ? await this.rewrap(tx, fresh, op.targetKekId, stats) : undefined;
        firstFailure ??= result;
      }
      const done = rows.length < rotationBatchSize;
      const failed = op.failed + stats.failed;
      const events: AuditInput[] = [];
      const system = (action: string, details: Record<string, unknown>): AuditInput => ({
        principalId: WORKER_PRINCIPAL,
        requestId: `rotation:${op.id}`,
        action,
        resourceType: 'rotation',
        resourceId: op.id,
        details: { worker_id: this.id, ...details },
      });
      if (!mine) events.push(system(op.leaderId === null ? 'secrets.rotation_claim' : 'secrets.rotation_takeover', { previous_leader: op.leaderId, cursor: op.cursor }));
      progressed = await SecretStore.updateRotation(tx, op.id, {
        cursor: rows.length ? rows[rows.length - 1].name : op.cursor,
        scanned: { increment: stats.scanned },
        rotated: { increment: stats.rotated },
        skipped: { increment: stats.skipped },
        conflicts: { increment: stats.conflicts },
        failed: { increment: stats.failed },
        batches: { increment: 1 },
        leaderId: this.id,
        leaseUntil: new Date(now.getTime() + rotationLeaseMs),
        ...(mine || op.leaderId === null ? {} : { takeovers: { increment: 1 } }),
        // Decrypt failures never stop the run; they are counted and named here (§10.16 swallowed them).
        ...(stats.failed > 0 ? { lastError: `${failed} secret(s) could not be decrypted and were left as they are (latest: ${firstFailure})` } : {}),
        ...(done ? { status: 'completed', completedAt: now } : {}),
      });
      if (done) {
        const p = progressed;
        events.push(system('secrets.rotation_complete', { target_kek_id: p.targetKekId, scanned: p.scanned, rotated: p.rotated, skipped: p.skipped, conflicts: p.conflicts, failed: p.failed, batches: p.batches }));
      }
      // Audited last: the chain lock is taken after the row locks, in the same order as putSecret.
      for (const e of events) await audit(e);
      return 'worked';
    });
    if (progressed) {
      await bus.publish(PROGRESS_TOPIC, progressed);
      if (isTerminal(progressed)) {
        const { id, scanned, rotated, skipped, conflicts, failed, batches } = progressed;
        this.logger.info({ operationId: id, scanned, rotated, skipped, conflicts, failed, batches }, 'rotation completed');
      }
    }
    return outcome;
  }

  /**
   * Re-wraps one row (after a lost batch CAS) with a compare-and-swap on its version. A concurrent
   * putSecret wins: it is counted as a conflict and its new value is re-read and re-wrapped, never overwritten.
   * Returns a failure description (name and code, never content) when the row cannot be decrypted.
   */
  private async rewrap(tx: Tx, row: SecretRow, target: string, stats: BatchStats): Promise<string | undefined> {
    let current: SecretRow | null = row;
    for (let attempt = 0; current && attempt < 2; attempt++) {
      if (current.kekId === target) return undefined;
      let plaintext: Buffer;
      try {
        plaintext = open(this.ring, current);
      } catch (err) {
        stats.failed++;
        return `${current.name}: ${err instanceof TalosError ? err.code : 'ERROR'}`;
      }
      if (await SecretStore.rewrap(tx, current.id, current.version, seal(this.ring, current.id, plaintext, target))) {
        stats.rotated++;
        return undefined;
      }
      stats.conflicts++;
      current = await SecretStore.byId(tx, current.id);
    }
    return undefined;
  }

  private async onError(err: unknown): Promise<void> {
    this.consecutiveErrors++;
    this.logger.error({ err: err instanceof Error ? err.message : String(err), attempt: this.consecutiveErrors }, 'rotation batch failed');
    if (this.consecutiveErrors < MAX_CONSECUTIVE_ERRORS) return;
    this.consecutiveErrors = 0;
    const { db, bus } = this.runtime;
    const message = err instanceof TalosError ? err.code : 'the batch failed repeatedly; see the worker log';
    const failed = await auditedTransaction(db, bus, AUDIT_CHAIN, async (tx, audit) => {
      const op = await SecretStore.runningRotation(tx);
      if (!op || (op.leaderId !== null && op.leaderId !== this.id)) return undefined;
      const row = await SecretStore.updateRotation(tx, op.id, { status: 'failed', lastError: message, completedAt: new Date() });
      await audit({ principalId: WORKER_PRINCIPAL, requestId: `rotation:${op.id}`, action: 'secrets.rotation_fail', resourceType: 'rotation', resourceId: op.id, status: 'failure', details: { worker_id: this.id, error: message } });
      return row;
    }).catch(() => undefined);
    if (failed) await bus.publish(PROGRESS_TOPIC, failed);
  }
}
