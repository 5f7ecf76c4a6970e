/**
 * The HTTP application: request ids, security headers, body limits,
 * same-origin and JSON-only battle routes, the signed anonymous session,
 * the layered turn and vote limits, optional Turnstile, the routes, and the
 * single error mapper.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { jsonBodyOn, requireJsonBody } from "./http/content-type";
import { errorResponse, handleError } from "./http/errors";
import { limitAuth, limitTurns, limitVotes } from "./http/rate-limit";
import { sameOriginOnly } from "./http/same-origin";
import { securityHeaders } from "./http/security-headers";
import { anonymousSession, clientIp } from "./http/session";
import { signedInAccount } from "./accounts/auth-session";
import { requireTurnstile } from "./http/turnstile";
import { requireAdmin, requireLab } from "./labs/auth";
import { registerAdminRoutes } from "./routes/admin";
import { registerAuthRoutes } from "./routes/auth";
import { registerBattleRoutes } from "./routes/battles";
import { registerMediaRoutes, UPLOAD_PATH } from "./routes/media";
import { registerWebDevRoutes } from "./routes/webdev";
import { registerClientConfigRoute } from "./routes/client-config";
import { registerLabDeliveryRoutes } from "./routes/lab-deliveries";
import { registerLabModelRoutes } from "./routes/lab-models";
import { registerLabWebhookRoutes } from "./routes/lab-webhooks";
import { registerMeRoutes } from "./routes/me";
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
  app.use("*", securityHeaders);
  const jsonBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => errorResponse(c, "payload_too_large", `request body is larger than ${MAX_BODY_BYTES} bytes`),
  });
  // Uploads bound their own, larger body while reading it (worker/routes/media.ts).
  app.use("/api/*", (c, next) => (c.req.path === UPLOAD_PATH ? next() : jsonBodyLimit(c, next)));
  // Same-origin first: it answers preflights before any session is handed out.
  // "/api/v1/battles/*" also matches "/api/v1/battles" itself.
  app.use("/api/v1/battles/*", sameOriginOnly);
  app.use("/api/v1/battles", requireJsonBody);
  app.use("/api/v1/battles/:id/messages", requireJsonBody);
  app.use("/api/v1/battles/:id/vote", requireJsonBody);
  app.use("/api/v1/battles/*", clientIp, anonymousSession, signedInAccount);
  app.use(UPLOAD_PATH, sameOriginOnly, clientIp, anonymousSession, limitTurns);
  // Accounts: same-origin and JSON for every state change (with SameSite cookies, the CSRF defence), limits on sign-in.
  // "/api/v1/me/*" also matches "/api/v1/me".
  for (const path of ["/api/v1/auth/*", "/api/v1/me/*"]) {
    app.use(path, sameOriginOnly, jsonBodyOn(["POST", "PATCH"]), clientIp, anonymousSession, signedInAccount);
  }
  app.on("DELETE", "/api/v1/me", jsonBodyOn(["DELETE"]));
  app.use("/api/v1/auth/*", limitAuth);
  app.use("/api/v1/battles", limitTurns);
  app.use("/api/v1/battles/:id/messages", limitTurns);
  app.use("/api/v1/battles/:id/vote", limitVotes);
  // After the limits, so a script cannot make the Worker flood Siteverify.
  app.use("/api/v1/battles", requireTurnstile);
  // Admin and lab routes: bearer tokens, JSON bodies, no CORS (not for browsers elsewhere).
  app.use("/api/v1/admin/*", requireAdmin);
  app.use("/api/v1/admin/labs", requireJsonBody);
  app.use("/api/v1/lab/*", requireLab);
  app.use("/api/v1/lab/webhooks", requireJsonBody);
  registerBattleRoutes(app);
  registerWebDevRoutes(app);
  registerMediaRoutes(app);
  registerAuthRoutes(app);
  registerMeRoutes(app);
  registerAdminRoutes(app);
  registerLabWebhookRoutes(app);
  registerLabDeliveryRoutes(app);
  registerLabModelRoutes(app);
  registerClientConfigRoute(app);
  registerPublicRoutes(app);
  app.notFound((c) => errorResponse(c, "not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`));
  app.onError(handleError);
  return app;
}
