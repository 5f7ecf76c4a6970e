/**
 * Client side of the battle protocol: starting a battle or a follow-up turn
 * returns `text/event-stream` from a POST, which EventSource cannot send, so
 * the body is read with fetch and parsed by `eventsource-parser`.
 */
import { EventSourceParserStream } from "eventsource-parser/stream";
import type { BattleStreamEvent, CreateBattleRequest } from "../../../src/wire";
import { errorFromResponse } from "./http";

const EVENT_TYPES = new Set<BattleStreamEvent["type"]>(["battle", "delta", "image", "done", "error", "end"]);

/** Parses one SSE `data` payload, ignoring anything that is not a battle event. */
export function parseBattleEvent(data: string): BattleStreamEvent | undefined {
  try {
    const event = JSON.parse(data) as { type?: unknown };
    return typeof event.type === "string" && EVENT_TYPES.has(event.type as BattleStreamEvent["type"])
      ? (event as BattleStreamEvent)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POSTs `body` to `path` and calls `onEvent` for every battle event until the
 * stream ends. `onOpen` receives the battle id from the `x-battle-id` header
 * as soon as the response starts, before any event. Rejects with an ApiError
 * when the server refuses the request, and with an AbortError when `signal`
 * aborts.
 *
 * @example
 *   await streamBattle("/api/v1/battles", { mode: "anonymous", prompt }, dispatch, controller.signal);
 */
export async function streamBattle(
  path: string,
  body: CreateBattleRequest | { prompt: string },
  onEvent: (event: BattleStreamEvent) => void,
  signal: AbortSignal,
  onOpen?: (battleId: string) => void,
): Promise<void> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok || !response.body) throw await errorFromResponse(response);
  const battleId = response.headers.get("x-battle-id");
  if (battleId) onOpen?.(battleId);
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  for (;;) {
    const { done, value } = await events.read();
    if (done) return;
    const event = parseBattleEvent(value.data);
    if (event) onEvent(event);
  }
}

/** The endpoint that streams a battle's next turn. */
export const messagesPath = (battleId: string) => `/api/v1/battles/${encodeURIComponent(battleId)}/messages`;
