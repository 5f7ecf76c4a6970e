/**
 * Registers a route on the OpenAPI app. The route config (zod schemas)
 * validates the request and generates the OpenAPI document; the handler
 * returns a plain Response because our answers include event streams and
 * errors from the shared mapper, which the per-status typed responses of
 * @hono/zod-openapi cannot express. Response bodies are checked against the
 * generated document in the worker tests instead.
 */
import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";

type ValidatedContext<R extends RouteConfig> = Parameters<RouteHandler<R, AppEnv>>[0];

export function route<R extends RouteConfig>(
  app: OpenAPIHono<AppEnv>,
  config: R,
  handler: (c: ValidatedContext<R> & Context<AppEnv>) => Promise<Response> | Response,
): void {
  app.openapi(config, handler as unknown as RouteHandler<R, AppEnv>);
}
