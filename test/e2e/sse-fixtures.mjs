/**
 * Crafted battle streams for tests that need answers the demo models never
 * give (hostile markup, failures). They follow the documented protocol, so
 * the client reads them exactly as it reads the server.
 */

const BATTLE_ID = "5b1f2a6e-8c4d-4e1a-9f3b-2d7c6a0e9b14";

/** Encodes events as an SSE body, `event:` and `data:` like the server. */
export function encodeEvents(events) {
  return events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join("");
}

/** A Playwright `route.fulfill` answer carrying `events` as a stream. */
export function sseResponse(events) {
  return { status: 200, headers: { "content-type": "text/event-stream; charset=utf-8" }, body: encodeEvents(events) };
}

function deltas(side, text) {
  // Cut mid-token on purpose: a tag split across deltas must still be neutralised.
  const parts = text.match(/[\s\S]{1,7}/g) ?? [];
  return parts.map((part) => ({ type: "delta", side, text: part }));
}

const HOSTILE = [
  "Here you go:",
  "",
  '<img src=x onerror="globalThis.__pwned=1;alert(1)">',
  "",
  "[a harmless-looking link](javascript:globalThis.__pwned=2)",
  "",
  '<a href="javascript:alert(3)">another</a> and <script>globalThis.__pwned=4</script>',
  "",
  '<svg onload="globalThis.__pwned=5"><circle r="4"/></svg> <iframe src="javascript:alert(6)"></iframe>',
  "",
  "![tracking pixel](https://example.invalid/pixel.png)",
  "",
  "[a real link](https://example.org/docs)",
].join("\n");

/** A first turn whose side A is hostile markup and side B is plain. */
export function maliciousStream() {
  return [
    { type: "battle", battleId: BATTLE_ID, turn: 1, mode: "anonymous" },
    ...deltas("a", HOSTILE),
    ...deltas("b", "A perfectly **ordinary** answer."),
    { type: "done", side: "a", finishReason: "stop" },
    { type: "done", side: "b", finishReason: "stop" },
    { type: "end", battleId: BATTLE_ID, turn: 1 },
  ];
}

/** A first turn in which side B fails while side A completes. */
export function failingSideStream() {
  return [
    { type: "battle", battleId: BATTLE_ID, turn: 1, mode: "anonymous" },
    ...deltas("a", "The first half of an answer"),
    ...deltas("b", "I was about to"),
    { type: "error", side: "b", code: "provider_error", message: "The model's provider failed to answer." },
    ...deltas("a", " and the second half."),
    { type: "done", side: "a", finishReason: "stop" },
    { type: "end", battleId: BATTLE_ID, turn: 1 },
  ];
}
