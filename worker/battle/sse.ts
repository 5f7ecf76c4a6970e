/**
 * Server-sent events encoding for battle streams. Each event carries its type
 * twice: as the SSE `event:` field (for EventSource listeners) and inside the
 * JSON `data:` object (for fetch-based readers).
 */
import type { BattleStreamEvent } from "../../src/wire";

const encoder = new TextEncoder();

/** Encodes one event as an SSE frame. */
export function encodeEvent(event: BattleStreamEvent): Uint8Array {
  return encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;
