// Runtime: the process-wide resources services share — config, logger, database, bus, keys and
// the embedded policy engine. All-in-one mode opens one runtime for every service in the process.
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { openDatabase, type Database } from './db';
import { openBus, type Bus } from './bus';
import { loadKeyMaterial, type KeyMaterial, type KeyNeeds } from './keys';
import { PolicyDecider, prismaPolicyLoader } from './policy/decider';

export interface Runtime {
  config: Config;
  logger: Logger;
  db: Database;
  bus: Bus;
  keys: KeyMaterial;
  policy: PolicyDecider;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, needs: KeyNeeds = {}, logger = createLogger(config.logLevel)): Promise<Runtime> {
  const keys = await loadKeyMaterial(config, needs);
  const db = await openDatabase(config, logger);
  let bus: Bus;
  try {
    bus = await openBus(config, logger);
  } catch (err) {
    await db.close();
    throw err;
  }
  const policy = new PolicyDecider(prismaPolicyLoader(db.write));
  await policy.listen(bus);
  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    db,
    bus,
    keys,
    policy,
    close: () =>
      (closing ??= (async () => {
        await policy.close();
        await bus.close();
        await db.close();
      })()),
  };
}
