/**
 * Turns a model row into an AI SDK language model. Keys come from Workers
 * secrets named by the row, never from the database.
 */
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";
import { configOf } from "../config";
import type { ModelRow } from "../db/schema";
import { DemoLanguageModel, isDemoPersona } from "./demo";

/** The part of a model row needed to call it; held hidden inside a battle. */
export type ModelEndpoint = Pick<ModelRow, "id" | "provider" | "providerModelId" | "endpoint" | "apiKeySecret" | "isDemo">;

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
 * others when their key secret is set.
 */
export function isModelAvailable(model: ModelEndpoint, env: Env): boolean {
  if (model.provider === "demo") return demoModelsEnabled(env) && isDemoPersona(model.providerModelId);
  return secret(env, model.apiKeySecret) !== undefined;
}

/**
 * Builds the AI SDK model for a row. OpenAI and OpenAI-compatible endpoints
 * (vLLM, Ollama, a lab's preview server) use the Chat Completions API, which
 * every compatible server speaks.
 */
export function languageModelFor(model: ModelEndpoint, env: Env): LanguageModel {
  const apiKey = secret(env, model.apiKeySecret);
  const baseURL = model.endpoint ?? undefined;
  switch (model.provider) {
    case "demo": {
      if (!isDemoPersona(model.providerModelId)) throw new Error(`unknown demo persona ${model.providerModelId}`);
      return new DemoLanguageModel(model.providerModelId, { tokenDelayMs: configOf(env).demoTokenDelayMs });
    }
    case "openai":
    case "openai-compatible":
      return createOpenAI({ apiKey, baseURL, name: model.provider }).chat(model.providerModelId);
    case "google":
      return createGoogleGenerativeAI({ apiKey, baseURL })(model.providerModelId);
  }
}
