/**
 * The offline demo provider: a real AI SDK language model (specification v4)
 * that needs no network and no key. It streams its persona's answer token by
 * token with a delay, honours the abort signal, and reports usage, so the
 * battle loop runs through exactly the same `streamText` path as a real
 * provider.
 */
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import { imageSize } from "image-size";
import { WEBDEV_SYSTEM_PROMPT } from "../../src/battle/webdev";
import { composeDemoAnswer, DEMO_PERSONAS, tokenize, type DemoPersona } from "./demo-answers";
import { composeDemoWebApp } from "./demo-webapp";

export interface DemoModelOptions {
  /** Delay between tokens, in milliseconds; 0 streams as fast as possible. */
  tokenDelayMs: number;
}

/** Each persona types at its own pace, so two demo models never finish together. */
const PACE: Record<DemoPersona, number> = { aster: 1, bramble: 0.6, cobalt: 1.4, dune: 1.1, ember: 0.8 };

function userMessages(prompt: LanguageModelV4Prompt): string[] {
  return prompt
    .filter((m) => m.role === "user")
    .map((m) => m.content.map((part) => (part.type === "text" ? part.text : "")).join(""));
}

/** What the demo "sees" in attached images: their type and size, read from the bytes. */
function imagesSeen(prompt: LanguageModelV4Prompt): string[] {
  const seen: string[] = [];
  for (const message of prompt) {
    if (message.role !== "user") continue;
    for (const part of message.content) {
      if (part.type !== "file" || !part.mediaType.startsWith("image/") || part.data.type !== "data") continue;
      const data = part.data.data;
      const bytes = typeof data === "string" ? Uint8Array.from(atob(data), (c) => c.charCodeAt(0)) : data;
      try {
        const { width, height } = imageSize(bytes);
        seen.push(`a ${width}×${height} ${part.mediaType.slice(6).toUpperCase()} image`);
      } catch {
        seen.push(`an image I could not read`);
      }
    }
  }
  return seen;
}

function isWebDev(prompt: LanguageModelV4Prompt): boolean {
  return prompt.some((m) => m.role === "system" && m.content === WEBDEV_SYSTEM_PROMPT);
}

function usage(inputText: string, outputTokens: number): LanguageModelV4Usage {
  const inputTokens = tokenize(inputText).length;
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** True when `modelId` names a demo persona. */
export function isDemoPersona(modelId: string): modelId is DemoPersona {
  return (DEMO_PERSONAS as readonly string[]).includes(modelId);
}

export class DemoLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = "demo";
  readonly supportedUrls = {};

  constructor(
    readonly modelId: DemoPersona,
    private readonly options: DemoModelOptions,
  ) {}

  private answer(options: LanguageModelV4CallOptions): { text: string; tokens: string[]; input: string } {
    const messages = userMessages(options.prompt);
    const seen = imagesSeen(options.prompt);
    const text = isWebDev(options.prompt)
      ? composeDemoWebApp(this.modelId, messages.at(-1) ?? "")
      : (seen.length ? `I see ${seen.join(" and ")}.\n\n` : "") + composeDemoAnswer(this.modelId, messages);
    let tokens = tokenize(text);
    if (options.maxOutputTokens !== undefined) tokens = tokens.slice(0, options.maxOutputTokens);
    return { text, tokens, input: messages.join("\n") };
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { text, tokens, input } = this.answer(options);
    const truncated = tokens.join("");
    return {
      content: [{ type: "text", text: truncated }],
      finishReason: { unified: truncated === text ? "stop" : "length", raw: undefined },
      usage: usage(input, tokens.length),
      warnings: [],
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const { text, tokens, input } = this.answer(options);
    const delay = Math.round(this.options.tokenDelayMs * PACE[this.modelId]);
    const signal = options.abortSignal;
    let index = 0;
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        controller.enqueue({ type: "stream-start", warnings: [] });
        controller.enqueue({ type: "text-start", id: "0" });
      },
      async pull(controller) {
        if (index < tokens.length) {
          if (delay > 0) await sleep(delay, signal);
          controller.enqueue({ type: "text-delta", id: "0", delta: tokens[index++]! });
          return;
        }
        controller.enqueue({ type: "text-end", id: "0" });
        controller.enqueue({
          type: "finish",
          usage: usage(input, tokens.length),
          finishReason: { unified: tokens.join("") === text ? "stop" : "length", raw: undefined },
        });
        controller.close();
      },
    });
    return { stream };
  }
}
