/**
 * The checked-in model catalogue. Each entry becomes a row of the `models`
 * table (synced by ./sync.ts). API keys are never here: `apiKeySecret` names
 * the Workers secret (or `.dev.vars` entry) that holds the key, and a model
 * is only offered while that secret is set.
 *
 * To add a model, append an entry and deploy; see README "Adding a model".
 */
import type { Modality } from "../../src/wire";
import type { NewModelRow } from "../db/schema";

export type CatalogEntry = Pick<
  NewModelRow,
  "id" | "name" | "organization" | "provider" | "providerModelId" | "endpoint" | "apiKeySecret" | "modality" | "arenas" | "status" | "samplingWeight" | "isDemo" | "license"
>;

/** Chat models that also read images and write web apps. */
const CHAT_ARENAS: Modality[] = ["text", "vision", "webdev"];

const demo = (persona: string, name: string): CatalogEntry => ({
  id: `demo-${persona}`,
  name: `${name} (demo)`,
  organization: "Edge Arena demo",
  provider: "demo",
  providerModelId: persona,
  endpoint: null,
  apiKeySecret: null,
  modality: "text",
  arenas: CHAT_ARENAS,
  status: "active",
  samplingWeight: 1,
  isDemo: true,
  license: "MIT",
});

const demoPainter = (persona: string, name: string): CatalogEntry => ({
  ...demo(persona, name),
  id: `demo-image-${persona}`,
  modality: "text-to-image",
  arenas: ["text-to-image"],
});

export const MODEL_CATALOG: readonly CatalogEntry[] = [
  demo("aster", "Aster"),
  demo("bramble", "Bramble"),
  demo("cobalt", "Cobalt"),
  demo("dune", "Dune"),
  demo("ember", "Ember"),
  demoPainter("prism", "Prism"),
  demoPainter("lumen", "Lumen"),
  demoPainter("quartz", "Quartz"),
  {
    id: "gpt-4o-mini",
    name: "GPT-4o mini",
    organization: "OpenAI",
    provider: "openai",
    providerModelId: "gpt-4o-mini",
    endpoint: null,
    apiKeySecret: "OPENAI_API_KEY",
    modality: "text",
    arenas: CHAT_ARENAS,
    status: "active",
    samplingWeight: 1,
    isDemo: false,
    license: "Proprietary",
  },
  {
    id: "gemini-2.5-flash",
    name: "Gemini 2.5 Flash",
    organization: "Google",
    provider: "google",
    providerModelId: "gemini-2.5-flash",
    endpoint: null,
    apiKeySecret: "GOOGLE_GENERATIVE_AI_API_KEY",
    modality: "text",
    arenas: CHAT_ARENAS,
    status: "active",
    samplingWeight: 1,
    isDemo: false,
    license: "Proprietary",
  },
  {
    id: "llama-3.1-8b-local",
    name: "Llama 3.1 8B Instruct",
    organization: "Meta",
    provider: "openai-compatible",
    providerModelId: "llama3.1:8b",
    endpoint: "http://127.0.0.1:11434/v1",
    apiKeySecret: "OLLAMA_API_KEY",
    modality: "text",
    arenas: ["text", "webdev"],
    status: "active",
    samplingWeight: 1,
    isDemo: false,
    license: "Llama 3.1 Community License",
  },
  {
    id: "gpt-image-1",
    name: "GPT Image 1",
    organization: "OpenAI",
    provider: "openai",
    providerModelId: "gpt-image-1",
    endpoint: null,
    apiKeySecret: "OPENAI_API_KEY",
    modality: "text-to-image",
    arenas: ["text-to-image"],
    status: "active",
    samplingWeight: 1,
    isDemo: false,
    license: "Proprietary",
  },
  {
    id: "gemini-2.5-flash-image",
    name: "Gemini 2.5 Flash Image",
    organization: "Google",
    provider: "google",
    providerModelId: "gemini-2.5-flash-image",
    endpoint: null,
    apiKeySecret: "GOOGLE_GENERATIVE_AI_API_KEY",
    modality: "text-to-image",
    arenas: ["text-to-image"],
    status: "active",
    samplingWeight: 1,
    isDemo: false,
    license: "Proprietary",
  },
];
