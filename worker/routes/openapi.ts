/**
 * `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, generated from the
 * zod schemas every route already validates with, so it cannot describe an
 * API other than the one running. Served like the other public reads (ETag,
 * shared cache) because it only changes with a deploy.
 *
 * Battle turns answer `text/event-stream`, which OpenAPI 3.1 cannot type
 * event by event; the events are described in the document's introduction
 * and their JSON is the `BattleStreamEvent` component.
 */
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import packageJson from "../../package.json";
import { WEBHOOK_EVENT_TYPES, envelopeSchema } from "../../src/webhooks/events";
import { battleStreamEventSchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { serveCachedJson } from "../http/cached-json";

export const OPENAPI_PATH = "/api/v1/openapi.json";

const BATTLE_STREAM = `
## Battle event stream

\`POST /api/v1/battles\` and \`POST /api/v1/battles/{id}/messages\` answer \`text/event-stream\`.
Each event's name equals the \`type\` in its data, a single JSON object (schema \`BattleStreamEvent\`):

1. \`battle\` \`{battleId, turn, mode}\`, once, first;
2. \`delta\` \`{side, text}\`, any number per side, the two sides interleaved;
3. \`done\` \`{side, finishReason}\` or \`error\` \`{side, code, message}\`, once per side;
4. \`end\` \`{battleId, turn}\`, once, last.

Model identities never appear in the stream of an anonymous battle; they are revealed by the vote.

\`\`\`text
event: battle
data: {"type":"battle","battleId":"9f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f","turn":1,"mode":"anonymous"}

event: delta
data: {"type":"delta","side":"a","text":"Python is "}

event: delta
data: {"type":"delta","side":"b","text":"It depends on"}

event: done
data: {"type":"done","side":"a","finishReason":"stop"}

event: error
data: {"type":"error","side":"b","code":"timeout","message":"This model took too long to answer."}

event: end
data: {"type":"end","battleId":"9f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f","turn":1}
\`\`\`
`;

const DESCRIPTION = `Open arena for evaluating AI models by anonymous pairwise human votes.

Public reads (\`/api/v1/leaderboard*\`, \`/api/v1/models*\`, this document) are open to any origin,
carry a strong \`ETag\` and \`Cache-Control: public, max-age=60, stale-while-revalidate=600\`, and answer
\`304\` to a matching \`If-None-Match\`. Every error is \`{"error":{"code","message","requestId"}}\`.
${BATTLE_STREAM}`;

/** Registers the document route. The document is built on a cache miss, from every route registered by then. */
export function registerOpenApiRoute(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.register("BattleStreamEvent", battleStreamEventSchema);
  registerWebhookEvents(app);
  app.get(OPENAPI_PATH, (c) =>
    serveCachedJson(c, {
      cacheKey: OPENAPI_PATH,
      load: async () =>
        JSON.stringify(
          app.getOpenAPI31Document({
            openapi: "3.1.0",
            info: {
              title: "Edge Arena API",
              version: packageJson.version,
              description: DESCRIPTION,
              license: { name: packageJson.license, url: `https://spdx.org/licenses/${packageJson.license}.html` },
            },
            tags: [
              { name: "Leaderboard", description: "Published Bradley-Terry leaderboards, recomputed every few minutes." },
              { name: "Models", description: "The public model catalogue and per-model statistics." },
              { name: "Audit", description: "Stored, counted and excluded votes per category, lab, model and reason." },
              { name: "Transparency", description: "Sampling weights and their history." },
              { name: "Webhooks", description: "Events sent to a lab's receivers, signed with Standard Webhooks." },
            ],
          }),
        ),
    }),
  );
}

/**
 * The events sent to labs, in the document's `webhooks` section: each is a
 * POST of its envelope, signed with the Standard Webhooks headers.
 */
function registerWebhookEvents(app: OpenAPIHono<AppEnv>): void {
  const headers = z.object({
    "webhook-id": z.string().openapi({ description: "The delivery id, the same on every retry: de-duplicate by it." }),
    "webhook-timestamp": z.string().openapi({ description: "Unix seconds when this attempt was signed." }),
    "webhook-signature": z.string().openapi({ description: "`v1,<base64 HMAC-SHA256>`, one per live secret, space-separated (Standard Webhooks)." }),
  });
  for (const type of WEBHOOK_EVENT_TYPES) {
    app.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      tags: ["Webhooks"],
      summary: type,
      request: { headers, body: { content: { "application/json": { schema: envelopeSchema(type) } } } },
      responses: { 200: { description: "Any 2xx acknowledges the delivery; anything else, or no answer within the timeout, is retried." } },
    });
  }
}
