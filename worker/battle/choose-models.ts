/**
 * Picks the models of a new battle: a weighted random pair for anonymous
 * battles (src/battle/sampling.ts), the named models for side-by-side and
 * direct chats. Only models that can be called here are offered.
 */
import { samplePair, type SamplingCandidate } from "../../src/battle/sampling";
import { ArenaError } from "../../src/errors";
import { seededRandom } from "../../src/random";
import type { CreateBattleRequest, Modality, Side } from "../../src/wire";
import { arenasOf } from "../catalog/arenas";
import type { ModelRow } from "../db/schema";
import { liveCatalog, type LiveCatalog } from "../catalog/live-catalog";
import { configOf } from "../config";
import { isModelAvailable } from "../providers/registry";
import type { HiddenModel } from "./battle-session";



function hidden(row: ModelRow): HiddenModel {
  return {
    id: row.id,
    name: row.name,
    organization: row.organization,
    provider: row.provider,
    providerModelId: row.providerModelId,
    endpoint: row.endpoint,
    apiKeySecret: row.apiKeySecret,
    isDemo: row.isDemo,
    ownerId: row.ownerId,
    apiKeySealed: row.apiKeySealed,
  };
}

function unpredictableSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

function anonymousPair(env: Env, catalog: LiveCatalog, arena: Modality): Record<Side, HiddenModel> {
  const available = catalog.models.filter((row) => arenasOf(row).includes(arena) && isModelAvailable(row, env));
  const counts = catalog.counts;
  const candidates: SamplingCandidate[] = available.map((row) => ({
    id: row.id,
    arenas: arenasOf(row),
    status: row.status,
    weight: row.samplingWeight,
    countedVotes: counts[row.id] ?? 0,
  }));
  const pair = samplePair(candidates, { modality: arena, ...configOf(env).sampling }, seededRandom(unpredictableSeed()));
  const byId = new Map(available.map((row) => [row.id, row]));
  return { a: hidden(byId.get(pair.a.id)!), b: hidden(byId.get(pair.b.id)!) };
}

/**
 * Named models must exist, be callable, and be public: a preview model can
 * only be met anonymously, so its existence is not given away by name.
 */
function namedModels(env: Env, catalog: LiveCatalog, ids: string[], arena: Modality): HiddenModel[] {
  const byId = new Map(catalog.models.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row || row.status !== "active" || !isModelAvailable(row, env)) {
      throw new ArenaError("invalid_request", `model "${id}" is not available; see GET /api/v1/models`);
    }
    if (!arenasOf(row).includes(arena)) throw new ArenaError("invalid_request", `model "${id}" does not take part in the ${arena} arena`);
    return hidden(row);
  });
}

/**
 * The models of a new battle, by side, from the live catalogue (memory, not
 * D1: see worker/catalog/live-catalog.ts).
 */
export async function chooseModels(env: Env, request: CreateBattleRequest, waitUntil?: (work: Promise<unknown>) => void): Promise<Partial<Record<Side, HiddenModel>>> {
  const arena = request.arena ?? "text";
  const catalog = await liveCatalog(env, waitUntil);
  switch (request.mode) {
    case "anonymous":
      return anonymousPair(env, catalog, arena);
    case "side-by-side": {
      if (request.models[0] === request.models[1]) throw new ArenaError("invalid_request", "choose two different models");
      const [a, b] = namedModels(env, catalog, request.models, arena);
      return { a: a!, b: b! };
    }
    case "direct": {
      const [a] = namedModels(env, catalog, [request.model], arena);
      return { a: a! };
    }
  }
}
