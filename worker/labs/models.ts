/**
 * A lab's models: registering a preview under its codename, and the
 * lifecycle verbs (release, withdraw, retire; rules in src/labs/lifecycle.ts).
 * Every verb is scoped to the calling lab: another lab's model answers
 * exactly like an unknown id.
 *
 * - The preview cap is enforced by the insert itself (one statement that
 *   counts the lab's running previews), so parallel registrations cannot
 *   overshoot it.
 * - A transition is an UPDATE guarded by the expected status, so two
 *   concurrent calls cannot both apply it.
 * - Each transition appends to `model_events`, and a release or withdrawal
 *   discloses every preview of that lab not yet disclosed (the
 *   private-variant register, worker/labs/register.ts).
 */
import { publishBattleModels } from "../catalog/live-catalog";
import { ArenaError, type Result } from "../../src/errors";
import { sealSecret } from "../../src/labs/credentials";
import { assertPreviewAllowed, nextStatus, type LifecycleAction, type ModelStatus } from "../../src/labs/lifecycle";
import type { RegisterPreviewInput, ReleaseInput } from "../../src/labs/schemas";
import { checkOutboundUrl } from "../../src/net/outbound-url";
import { configOf } from "../config";
import { overallVotesPerModel } from "../leaderboard/publish";
import { labModelKeyContext } from "../providers/lab-endpoint";
import { envelope } from "../../src/webhooks/events";
import { enqueueWebhookEvent } from "../webhooks/enqueue";
import { masterKey } from "./service";

export interface LabModelView {
  id: string;
  codename: string;
  name: string;
  organization: string;
  status: ModelStatus;
  provider: "openai-compatible" | "openai" | "google";
  endpoint: string | null;
  providerModelId: string;
  hasApiKey: boolean;
  modality: "text" | "vision" | "text-to-image" | "webdev";
  license: string | null;
  pricing: { inputPerMillion: number; outputPerMillion: number } | null;
  contextLength: number | null;
  createdAt: string;
  releasedAt: string | null;
  withdrawnAt: string | null;
  retiredAt: string | null;
  retireReason: string | null;
}

interface LabModelRow {
  id: string;
  codename: string;
  name: string;
  organization: string;
  status: ModelStatus;
  provider: LabModelView["provider"];
  endpoint: string | null;
  provider_model_id: string;
  api_key_sealed: string | null;
  modality: LabModelView["modality"];
  license: string | null;
  price_input: number | null;
  price_output: number | null;
  context_length: number | null;
  created_at: number;
  released_at: number | null;
  withdrawn_at: number | null;
  retired_at: number | null;
  retire_reason: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const NO_MODEL = { ok: false as const, error: { code: "not_found" as const, message: "no such model" } };
const SELECT_LAB_MODEL = "SELECT * FROM models WHERE owner_id = ?1";

function view(row: LabModelRow): LabModelView {
  return {
    id: row.id,
    codename: row.codename,
    name: row.name,
    organization: row.organization,
    status: row.status,
    provider: row.provider,
    endpoint: row.endpoint,
    providerModelId: row.provider_model_id,
    hasApiKey: row.api_key_sealed !== null,
    modality: row.modality,
    license: row.license,
    pricing: row.price_input !== null && row.price_output !== null ? { inputPerMillion: row.price_input, outputPerMillion: row.price_output } : null,
    contextLength: row.context_length,
    createdAt: iso(row.created_at)!,
    releasedAt: iso(row.released_at),
    withdrawnAt: iso(row.withdrawn_at),
    retiredAt: iso(row.retired_at),
    retireReason: row.retire_reason,
  };
}

async function labName(env: Env, labId: string): Promise<string> {
  const lab = await env.DB.prepare("SELECT name FROM labs WHERE id = ?").bind(labId).first<{ name: string }>();
  if (!lab) throw new ArenaError("unauthorized", "no such lab");
  return lab.name;
}

/**
 * Registers a preview. Its id is its codename (voters see it after their
 * vote); the endpoint must pass the outbound guard; the key is sealed with
 * the model id as context.
 */
export async function registerPreview(env: Env, labId: string, input: RegisterPreviewInput, now = Date.now()): Promise<Result<{ id: string; status: "preview" }>> {
  const { outbound, labs } = configOf(env);
  let endpoint: string | null = null;
  if (input.endpoint !== undefined) {
    const checked = checkOutboundUrl(input.endpoint, outbound.policy);
    if (!checked.ok) return { ok: false, error: { code: "outbound_url_refused", message: `endpoint refused: ${checked.reason}` } };
    endpoint = checked.url.href.replace(/\/$/, "");
  }
  const id = input.codename;
  const taken = await env.DB.prepare("SELECT 1 FROM models WHERE id = ?1 OR name = ?1 OR codename = ?1").bind(id).first();
  if (taken) return { ok: false, error: { code: "conflict", message: `the codename "${id}" is taken; choose another` } };
  const sealed = input.apiKey === undefined ? null : await sealSecret(await masterKey(env), input.apiKey, labModelKeyContext(id));
  const organization = await labName(env, labId);
  const [inserted] = await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO models (id, name, organization, owner_id, provider, provider_model_id, endpoint, api_key_sealed, modality, status,
         license, codename, price_input, price_output, context_length, created_at, updated_at)
       SELECT ?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'preview', ?9, ?1, ?10, ?11, ?12, ?13, ?13
       WHERE (SELECT count(*) FROM models WHERE owner_id = ?3 AND status = 'preview') < ?14
       ON CONFLICT DO NOTHING`,
    ).bind(
      id,
      organization,
      labId,
      input.provider,
      input.providerModelId,
      endpoint,
      sealed,
      input.modality,
      input.license ?? null,
      input.pricing?.inputPerMillion ?? null,
      input.pricing?.outputPerMillion ?? null,
      input.contextLength ?? null,
      now,
      labs.previewCap,
    ),
    env.DB.prepare("INSERT INTO model_events (model_id, lab_id, kind, at, detail) SELECT ?1, ?2, 'registered', ?3, '{}' WHERE changes() > 0").bind(id, labId, now),
  ]);
  if (inserted!.meta.changes > 0) await publishBattleModels(env);
  if (inserted!.meta.changes === 0) {
    const running = await env.DB.prepare("SELECT count(*) AS n FROM models WHERE owner_id = ? AND status = 'preview'").bind(labId).first<{ n: number }>();
    assertPreviewAllowed(running?.n ?? 0, labs);
    return { ok: false, error: { code: "conflict", message: `the codename "${id}" is taken; choose another` } };
  }
  return { ok: true, value: { id, status: "preview" } };
}

export async function listLabModels(env: Env, labId: string): Promise<LabModelView[]> {
  const { results } = await env.DB.prepare(`${SELECT_LAB_MODEL} ORDER BY created_at, id`).bind(labId).all<LabModelRow>();
  return results.map(view);
}

export async function getLabModel(env: Env, labId: string, id: string): Promise<Result<LabModelView>> {
  const row = await env.DB.prepare(`${SELECT_LAB_MODEL} AND id = ?2`).bind(labId, id).first<LabModelRow>();
  return row ? { ok: true, value: view(row) } : NO_MODEL;
}

/** What a transition sets besides the status, and what its event records. */
interface Transition {
  action: LifecycleAction;
  set: string;
  params: unknown[];
  detail: Record<string, string>;
}

/**
 * Applies a lifecycle transition to the lab's model: checks the rule, then
 * updates guarded by the status it read, appends the event and, for a
 * release or withdrawal, discloses the lab's previews.
 */
async function transition(env: Env, labId: string, id: string, make: (row: LabModelRow) => Promise<Transition>, now: number): Promise<Result<LabModelView>> {
  const row = await env.DB.prepare(`${SELECT_LAB_MODEL} AND id = ?2`).bind(labId, id).first<LabModelRow>();
  if (!row) return NO_MODEL;
  const t = await make(row);
  const to = nextStatus(row.status, t.action);
  const statements = [
    env.DB.prepare(`UPDATE models SET status = ?1, updated_at = ?2, ${t.set} WHERE id = ?3 AND status = ?4`).bind(to, now, id, row.status, ...t.params),
    env.DB.prepare("INSERT INTO model_events (model_id, lab_id, kind, at, detail) SELECT ?1, ?2, ?3, ?4, ?5 WHERE changes() > 0").bind(
      id,
      labId,
      to === "active" ? "released" : to,
      now,
      JSON.stringify(t.detail),
    ),
  ];
  if (t.action !== "retire") {
    // Everything this lab tested up to now becomes public in the register (still-running previews included).
    statements.push(env.DB.prepare("UPDATE models SET disclosed_at = ?1 WHERE owner_id = ?2 AND codename IS NOT NULL AND disclosed_at IS NULL").bind(now, labId));
  }
  const [updated] = await env.DB.batch(statements);
  if (updated!.meta.changes === 0) throw new ArenaError("conflict", `the model changed meanwhile; it is no longer ${row.status}`);
  await publishBattleModels(env);
  return getLabModel(env, labId, id);
}

/** Releases a preview under its public name; its votes stay with it (same id). Sends `model.released`. */
export async function releaseModel(env: Env, labId: string, id: string, input: ReleaseInput, now = Date.now()): Promise<Result<LabModelView>> {
  const taken = await env.DB.prepare("SELECT 1 FROM models WHERE (name = ?1 OR id = ?1 OR codename = ?1) AND id <> ?2").bind(input.name, id).first();
  if (taken) return { ok: false, error: { code: "conflict", message: `a model named "${input.name}" already exists` } };
  const released = await transition(
    env,
    labId,
    id,
    async (row) => {
      const organization = input.organization ?? row.organization;
      const votes = (await overallVotesPerModel(env.DB)).get(id) ?? 0;
      return { action: "release", set: "name = ?5, organization = ?6, released_at = ?2, votes_at_release = ?7", params: [input.name, organization, votes], detail: { name: input.name, organization } };
    },
    now,
  );
  if (released.ok) {
    const m = released.value;
    await enqueueWebhookEvent(env, labId, envelope("model.released", { modelId: m.id, name: m.name, codename: m.codename, organization: m.organization, releasedAt: m.releasedAt! }, new Date(now)), now);
  }
  return released;
}

/** Ends a preview: no longer sampled; its votes stay stored and it enters the register. */
export async function withdrawModel(env: Env, labId: string, id: string, now = Date.now()): Promise<Result<LabModelView>> {
  return transition(env, labId, id, async () => ({ action: "withdraw", set: "withdrawn_at = ?2", params: [], detail: {} }), now);
}

/** Retires a released model: it stays on the boards, marked retired, and is no longer sampled. Sends `model.retired`. */
export async function retireModel(env: Env, labId: string, id: string, reason: string, now = Date.now()): Promise<Result<LabModelView>> {
  const retired = await transition(env, labId, id, async () => ({ action: "retire", set: "retired_at = ?2, retire_reason = ?5", params: [reason], detail: { reason } }), now);
  if (retired.ok) {
    const m = retired.value;
    await enqueueWebhookEvent(env, labId, envelope("model.retired", { modelId: m.id, name: m.name, reason, retiredAt: m.retiredAt! }, new Date(now)), now);
  }
  return retired;
}
