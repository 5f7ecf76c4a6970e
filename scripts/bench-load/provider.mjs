/**
 * A local OpenAI-compatible Chat Completions server for the load benchmark:
 * it streams a short answer at once (five chunks, no delay), so what the
 * benchmark times is the arena's path, not a model. Loopback only.
 */
import { createServer } from "node:http";

const CHUNKS = ["Here ", "is ", "a ", "quick ", "answer."];

function chunk(model, content, finish) {
  const delta = content === null ? {} : { role: "assistant", content };
  return `data: ${JSON.stringify({ id: "bench", object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

/**
 * Starts the server on `port` (0: any free port).
 * @returns {Promise<{ port: number, close: () => Promise<void> }>}
 */
export async function startProvider(port = 0) {
  const server = createServer((req, res) => {
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404).end();
      return;
    }
    const body = [];
    req.on("data", (part) => body.push(part));
    req.on("end", () => {
      const model = JSON.parse(Buffer.concat(body).toString("utf8")).model ?? "bench";
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const text of CHUNKS) res.write(chunk(model, text, null));
      res.write(chunk(model, null, "stop"));
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
