/**
 * The HTTP application: request ids, body limits, the signed anonymous
 * session, the layered turn and vote limits, the routes, and the single
 * error mapper.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { errorResponse, handleError } from "./http/errors";
import { limitTurns, limitVotes } from "./http/rate-limit";
import { anonymousSession, clientIp } from "./http/session";
import { registerBattleRoutes } from "./routes/battles";
import { registerPublicRoutes } from "./routes/public";

import type { AppEnv } from "./app-env";

/** Largest request body accepted, in bytes; a maximal prompt is well under it. */
export const MAX_BODY_BYTES = 256 * 1024;

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map((issue) => ({ path: issue.path.join(".") || "(body)", message: issue.message }));
      const summary = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
      return errorResponse(c, "invalid_request", `invalid request: ${summary}`, issues);
    },
  });
  app.use("*", requestId());
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, "payload_too_large", `request body is larger than ${MAX_BODY_BYTES} bytes`),
    }),
  );
  // "/api/v1/battles/*" also matches "/api/v1/battles" itself.
  app.use("/api/v1/battles/*", clientIp, anonymousSession);
  app.use("/api/v1/battles", limitTurns);
  app.use("/api/v1/battles/:id/messages", limitTurns);
  app.use("/api/v1/battles/:id/vote", limitVotes);
  registerBattleRoutes(app);
  registerPublicRoutes(app);
  app.notFound((c) => errorResponse(c, "not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`));
  app.onError(handleError);
  return app;
}
