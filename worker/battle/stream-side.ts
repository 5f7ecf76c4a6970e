/**
 * Streams one side's answer from its model, with the stall and total
 * timeouts, and classifies failures into the public SideErrorCode set.
 * Provider error messages are logged, never forwarded: they often name the
 * model, which would break anonymity.
 */
import { APICallError, streamText, type LanguageModel, type ModelMessage } from "ai";
import type { SideErrorCode } from "../../src/wire";

export interface SideStreamLimits {
  /** Longest silence between two chunks before the side fails with `timeout`. */
  stallMs: number;
  /** Longest time for the whole answer. */
  totalMs: number;
  maxRetries: number;
}

export type SideStreamOutcome =
  | { status: "done"; finishReason: string }
  | { status: "error"; code: SideErrorCode; detail: string };

export class SideTimeout extends Error {}

/** The reason a side is aborted with when the user presses Stop. */
export class StopRequested extends Error {}

/** The generic, identity-free message shown for each failure. */
export const SIDE_ERROR_MESSAGES: Record<SideErrorCode, string> = {
  provider_error: "This model failed to answer.",
  rate_limited: "This model is over capacity right now.",
  timeout: "This model took too long to answer.",
  stream_interrupted: "This model's answer was cut off.",
  interrupted: "This answer was interrupted by a server restart.",
  stopped: "This answer was stopped.",
};

/** The public failure code of a provider error, with the private detail for the log. */
export function classify(error: unknown): { code: SideErrorCode; detail: string } {
  if (error instanceof SideTimeout) return { code: "timeout", detail: error.message };
  if (error instanceof StopRequested) return { code: "stopped", detail: "stopped by the user" };
  if (APICallError.isInstance(error) && error.statusCode !== undefined) {
    const code = error.statusCode === 429 ? "rate_limited" : "provider_error";
    return { code, detail: `HTTP ${error.statusCode}: ${error.message}` };
  }
  // A failure without an HTTP status is the connection or stream breaking.
  const cause = (error as { lastError?: unknown })?.lastError;
  if (cause && cause !== error) return classify(cause);
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: "stream_interrupted", detail };
}

/**
 * Runs one side to completion, calling `onDelta` for each text chunk; `stop`
 * aborts it as `stopped`. Never throws: every failure becomes an `error`
 * outcome.
 */
export async function streamSide(
  model: LanguageModel,
  messages: ModelMessage[],
  limits: SideStreamLimits,
  onDelta: (text: string) => void | Promise<void>,
  stop?: AbortSignal,
  system?: string,
): Promise<SideStreamOutcome> {
  const abort = new AbortController();
  stop?.addEventListener("abort", () => abort.abort(new StopRequested()), { once: true });
  // One timer for the stall, not one per chunk: each chunk only notes the
  // time, and the timer, when it fires, waits out what is left of the silence.
  let lastOutput = Date.now();
  let stall: ReturnType<typeof setTimeout> | undefined;
  const watchStall = (delay: number) => {
    stall = setTimeout(() => {
      const silent = Date.now() - lastOutput;
      if (silent >= limits.stallMs) abort.abort(new SideTimeout(`no output for ${limits.stallMs} ms`));
      else watchStall(limits.stallMs - silent);
    }, delay);
  };
  const noteOutput = () => {
    lastOutput = Date.now();
  };
  const total = setTimeout(() => abort.abort(new SideTimeout(`no finish within ${limits.totalMs} ms`)), limits.totalMs);
  watchStall(limits.stallMs);
  let streamed = false;
  try {
    // onError: failures surface as `error` parts below and are logged by the
    // caller without provider details; the SDK default would log them again.
    const result = streamText({ model, messages, ...(system ? { system } : {}), abortSignal: abort.signal, maxRetries: limits.maxRetries, onError: () => {} });
    let finishReason = "unknown";
    for await (const part of result.stream) {
      noteOutput();
      if (part.type === "text-delta") {
        if (part.text === "") continue;
        streamed = true;
        await onDelta(part.text);
      } else if (part.type === "error") throw part.error;
      else if (part.type === "abort") throw abort.signal.reason ?? new SideTimeout("aborted");
      else if (part.type === "finish") finishReason = part.finishReason;
    }
    if (abort.signal.aborted) throw abort.signal.reason;
    if (finishReason === "interrupted" || finishReason === "error") {
      return { status: "error", code: "stream_interrupted", detail: `finish reason ${finishReason}` };
    }
    return { status: "done", finishReason };
  } catch (error) {
    const failure = classify(abort.signal.aborted ? abort.signal.reason : error);
    // Once text has arrived, any failure other than a timeout or a stop cut the answer short.
    const code = streamed && failure.code !== "timeout" && failure.code !== "stopped" ? "stream_interrupted" : failure.code;
    return { status: "error", code, detail: failure.detail };
  } finally {
    clearTimeout(stall);
    clearTimeout(total);
  }
}
