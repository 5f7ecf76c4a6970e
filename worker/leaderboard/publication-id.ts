/**
 * The id of the current publication, which names every public read's cache
 * key (worker/http/cached-json.ts), held in isolate memory: reading it from
 * KV on every request cost a cached read a quarter of its throughput
 * (`npm run bench -- --only reads`). KV itself is eventually consistent
 * (a new value can take 60 s to reach every location), so holding the id
 * for a few seconds adds little to how late a new publication can show.
 *
 * Fresh for 5 s; up to a minute old it is used while KV is read again in the
 * background; older, the request waits for KV. The cron calls
 * `notePublication` after storing a new id, so its own isolate switches at once.
 */
import { Held } from "../memory/held";
import { KV_PUBLICATION_ID } from "./kv-keys";

/** Before the first publication. */
export const NO_PUBLICATION = "none";

const publication = new Held<string>("publication_id", 5_000, 60_000);

export function currentPublication(kv: KVNamespace, waitUntil?: (work: Promise<unknown>) => void): Promise<string> {
  return publication.get(async () => (await kv.get(KV_PUBLICATION_ID, "text")) ?? NO_PUBLICATION, waitUntil);
}

/** Drops the held id, so the next read asks KV (tests, whose KV is emptied between them). */
export function forgetPublication(): void {
  publication.forget();
}

/** Stores a new publication id, and holds it in this isolate. */
export async function putPublication(kv: KVNamespace, id: string): Promise<void> {
  await kv.put(KV_PUBLICATION_ID, id);
  publication.set(id);
}
