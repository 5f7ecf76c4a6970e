/**
 * Turns a model row into an AI SDK language model. A catalogue model's key
 * comes from the Workers secret its row names; a lab model's key is sealed
 * in its row and its requests go through the outbound guard
 * (worker/providers/lab-endpoint.ts).
 */
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import type { ImageModel, LanguageModel } from "ai";
import { configOf } from "../config";
import type { ModelRow } from "../db/schema";
import { DemoLanguageModel, isDemoPersona } from "./demo";
import { DemoImageModel, isDemoImagePersona } from "./demo-image";
import { labFetch, PLACEHOLDER_KEY } from "./lab-endpoint";

/** The part of a model row needed to call it; held hidden inside a battle. */
export type ModelEndpoint = Pick<ModelRow, "id" | "provider" | "providerModelId" | "endpoint" | "apiKeySecret" | "isDemo" | "ownerId" | "apiKeySealed">;

/** The endpoint columns of `models` as raw SQL returns them, for queries that select them by name. */
export const ENDPOINT_COLUMNS = "id, provider, provider_model_id, endpoint, api_key_secret, is_demo, owner_id, api_key_sealed";
export interface EndpointColumns {
  id: string;
  provider: string;
  provider_model_id: string;
  endpoint: string | null;
  api_key_secret: string | null;
  is_demo: number;
  owner_id: string | null;
  api_key_sealed: string | null;
}

export function endpointOfColumns(m: EndpointColumns): ModelEndpoint {
  return {
    id: m.id,
    provider: m.provider as ModelEndpoint["provider"],
    providerModelId: m.provider_model_id,
    endpoint: m.endpoint,
    apiKeySecret: m.api_key_secret,
    isDemo: Boolean(m.is_demo),
    ownerId: m.owner_id,
    apiKeySealed: m.api_key_sealed,
  };
}

function secret(env: Env, name: string | null): string | undefined {
  if (!name) return undefined;
  const value = (env as unknown as Record<string, unknown>)[name];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** True when demo models are switched on for this deployment. */
export function demoModelsEnabled(env: Env): boolean {
  return configOf(env).demoModels;
}

/**
 * Whether the model can be called here: demo models when the demo is on,
 * a lab's models when they have a key or need none (an OpenAI-compatible
 * endpoint), others when their key secret is set.
 */
export function isModelAvailable(model: ModelEndpoint, env: Env): boolean {
  if (model.provider === "demo") return demoModelsEnabled(env) && (isDemoPersona(model.providerModelId) || isDemoImagePersona(model.providerModelId));
  if (model.ownerId !== null) return model.provider === "openai-compatible" || model.apiKeySealed !== null;
  return secret(env, model.apiKeySecret) !== undefined;
}

/**
 * Builds the AI SDK model for a row. OpenAI and OpenAI-compatible endpoints
 * (vLLM, Ollama, a lab's preview server) use the Chat Completions API, which
 * every compatible server speaks.
 */
export function languageModelFor(model: ModelEndpoint, env: Env): LanguageModel {
  const { apiKey, fetch, baseURL } = connectionOf(model, env);
  switch (model.provider) {
    case "demo": {
      if (!isDemoPersona(model.providerModelId)) throw new Error(`unknown demo persona ${model.providerModelId}`);
      return new DemoLanguageModel(model.providerModelId, { tokenDelayMs: configOf(env).demoTokenDelayMs });
    }
    case "openai":
    case "openai-compatible":
      return createOpenAI({ apiKey, baseURL, name: model.provider, fetch }).chat(model.providerModelId);
    case "google":
      return createGoogleGenerativeAI({ apiKey, baseURL, fetch })(model.providerModelId);
  }
}

/**
 * Builds the AI SDK image model for a text-to-image row: OpenAI's Images API
 * (also spoken by compatible servers) or Gemini's image output.
 */
export function imageModelFor(model: ModelEndpoint, env: Env): ImageModel {
  const { apiKey, fetch, baseURL } = connectionOf(model, env);
  switch (model.provider) {
    case "demo": {
      if (!isDemoImagePersona(model.providerModelId)) throw new Error(`unknown demo image persona ${model.providerModelId}`);
      return new DemoImageModel(model.providerModelId);
    }
    case "openai":
    case "openai-compatible":
      return createOpenAI({ apiKey, baseURL, name: model.provider, fetch }).image(model.providerModelId);
    case "google":
      return createGoogleGenerativeAI({ apiKey, baseURL, fetch }).image(model.providerModelId);
  }
}

function connectionOf(model: ModelEndpoint, env: Env): { apiKey: string | undefined; fetch: typeof globalThis.fetch | undefined; baseURL: string | undefined } {
  const lab = model.ownerId !== null && model.provider !== "demo";
  return {
    apiKey: lab ? PLACEHOLDER_KEY : secret(env, model.apiKeySecret),
    fetch: lab ? labFetch(env, model) : undefined,
    baseURL: model.endpoint ?? undefined,
  };
}
