/**
 * `GET /api/docs`: an interactive API reference (Swagger UI) that works with
 * no internet access. Swagger UI's files are copied from the pinned
 * swagger-ui-dist package into the static assets at build time
 * (scripts/copy-api-docs-assets.mjs) and served from `/api-docs/`; this
 * Worker serves only the page and its start-up script. The page's CSP allows
 * its own origin only, so a stray reference to a CDN fails loudly instead of
 * silently depending on the network.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { OPENAPI_PATH } from "./openapi";

/** Where the build puts Swagger UI's files (see scripts/copy-api-docs-assets.mjs). */
export const API_DOCS_ASSETS = "/api-docs";
const INIT_SCRIPT = "/api/docs/init.js";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edge Arena API reference</title>
<link rel="stylesheet" href="${API_DOCS_ASSETS}/swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script src="${API_DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script src="${INIT_SCRIPT}"></script>
</body>
</html>
`;

// `validatorUrl: null` stops Swagger UI from sending the document to its
// public validator service, the one remote call it would otherwise make.
const INIT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: "#api-reference",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
});
`;

const HEADERS = {
  "cache-control": "public, max-age=300",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
};

export function registerDocsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.get("/api/docs", (c) => c.html(PAGE, 200, HEADERS));
  app.get(INIT_SCRIPT, (c) => c.body(INIT, 200, { ...HEADERS, "content-type": "text/javascript; charset=utf-8" }));
}
