/**
 * `GET /api/v1/config`: what the browser needs to know about this arena's
 * set-up before it can start a battle. Today that is the Turnstile site key
 * (public by design; null when Turnstile is off), so the client renders the
 * widget only where the server will ask for its token.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { configOf } from "../config";
import { route } from "../http/openapi-route";

const clientConfigSchema = z
  .object({
    turnstileSiteKey: z.string().nullable().meta({ description: "Site key of the Turnstile widget; null when battle start needs no Turnstile token." }),
  })
  .meta({ id: "ClientConfig", description: "Client-side settings of this arena." });

export function registerClientConfigRoute(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/config",
      summary: "The arena's client-side settings (Turnstile site key)",
      responses: { 200: { description: "The settings", content: { "application/json": { schema: clientConfigSchema } } } },
    }),
    (c) => {
      const turnstile = configOf(c.env).turnstile;
      // Short-lived: a deploy that turns Turnstile on must reach open tabs soon.
      return c.json({ turnstileSiteKey: turnstile?.siteKey ?? null }, 200, { "cache-control": "public, max-age=60" });
    },
  );
}
