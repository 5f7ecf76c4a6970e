/**
 * Keeps the `models` table in step with the checked-in catalogue. Runs once
 * per isolate before the first battle (and from the cron), and only writes
 * rows whose config changed, so it costs one batched statement per entry.
 * Rows not in the catalogue (registered later through the lab API) are left
 * alone.
 */
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { models } from "../db/schema";
import { MODEL_CATALOG, type CatalogEntry } from "./models";
import { fnv1a } from "../../src/hash";

function configHash(entry: CatalogEntry): string {
  return fnv1a(JSON.stringify(entry, Object.keys(entry).sort())).toString(16);
}

let synced: Promise<void> | undefined;

/** Upserts the catalogue into D1; memoised per isolate, retried after a failure. */
export function syncModelCatalog(d1: D1Database, catalog: readonly CatalogEntry[] = MODEL_CATALOG): Promise<void> {
  synced ??= (async () => {
    const db = drizzle(d1);
    const statements = catalog.map((entry) => {
      const hash = configHash(entry);
      return db
        .insert(models)
        .values({ ...entry, configHash: hash })
        .onConflictDoUpdate({
          target: models.id,
          set: { ...entry, configHash: hash, updatedAt: Date.now() },
          setWhere: sql`${models.configHash} IS NOT ${hash}`,
        });
    });
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  })().catch((error: unknown) => {
    synced = undefined;
    throw error;
  });
  return synced;
}
