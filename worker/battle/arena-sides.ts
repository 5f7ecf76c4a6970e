/**
 * What differs between arenas when a side answers: the messages a vision
 * model sees (the prompt's images from R2), the system prompt of WebDev, and
 * text-to-image generation, whose answer is an image stored in R2 rather
 * than streamed text. The battle rules and the outbox are the same for all.
 */
import { generateImage, type ImageModel, type ModelMessage } from "ai";
import { historyOf, type BattleState } from "../../src/battle/rules";
import { WEBDEV_SYSTEM_PROMPT } from "../../src/battle/webdev";
import type { ImageRef, Modality, Side } from "../../src/wire";
import { imageBytes, storeImage } from "../media/store";
import { classify, SideTimeout, StopRequested, type SideStreamLimits, type SideStreamOutcome } from "./stream-side";

/** The system prompt of a turn in this arena, if it has one. */
export function systemPromptOf(arena: Modality): string | undefined {
  return arena === "webdev" ? WEBDEV_SYSTEM_PROMPT : undefined;
}

/**
 * The conversation one side has seen, with each prompt's images as file
 * parts (only vision prompts carry images).
 */
export async function sideMessages(bucket: R2Bucket, battle: BattleState, side: Side, uptoTurn: number): Promise<ModelMessage[]> {
  // historyOf lists one user message per turn, in turn order.
  let turnIndex = 0;
  return Promise.all(
    historyOf(battle, side, uptoTurn).map(async (message): Promise<ModelMessage> => {
      if (message.role === "assistant") return message;
      const images = battle.turns[turnIndex++]?.attachments ?? [];
      if (images.length === 0) return message;
      const parts = await Promise.all(images.map(async (ref) => ({ type: "image" as const, image: await imageBytes(bucket, ref), mediaType: ref.mediaType })));
      return { role: "user", content: [...parts, { type: "text", text: message.content }] };
    }),
  );
}

export type ImageSideOutcome = (SideStreamOutcome & { status: "error" }) | { status: "done"; finishReason: string; image: ImageRef };

/**
 * Generates one side's image, checks it like an upload (a model's output is
 * as untrusted as a user's), and stores it. Never throws.
 */
export async function generateSideImage(
  model: ImageModel,
  prompt: string,
  limits: SideStreamLimits,
  bucket: R2Bucket,
  stop?: AbortSignal,
): Promise<ImageSideOutcome> {
  const abort = new AbortController();
  stop?.addEventListener("abort", () => abort.abort(new StopRequested()), { once: true });
  const total = setTimeout(() => abort.abort(new SideTimeout(`no image within ${limits.totalMs} ms`)), limits.totalMs);
  try {
    const result = await generateImage({ model, prompt, n: 1, size: "1024x1024", abortSignal: abort.signal, maxRetries: limits.maxRetries });
    const image = await storeImage(bucket, result.image.uint8Array);
    return { status: "done", finishReason: "stop", image: { url: image.url, mediaType: image.mediaType, width: image.width, height: image.height } };
  } catch (error) {
    const failure = classify(abort.signal.aborted ? abort.signal.reason : error);
    // An image that fails the upload checks is the provider's failure, not the user's.
    return { status: "error", code: failure.code === "stream_interrupted" ? "provider_error" : failure.code, detail: failure.detail };
  } finally {
    clearTimeout(total);
  }
}
