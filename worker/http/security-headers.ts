/**
 * Security headers on every answer the Worker produces: JSON, event streams,
 * errors and 404s alike (the middleware wraps the error mapper too). The
 * static HTML gets the same policy from client/public/_headers, because
 * static assets are served without running the Worker.
 *
 * - The API's CSP is `default-src 'none'; frame-ancestors 'none'`: an API
 *   answer is data, never a document, so if one is ever opened as a page it
 *   may load nothing and cannot be framed (clickjacking of the vote bar).
 *   A page the Worker renders itself (the API reference) sets its own CSP,
 *   which is kept (`overwrite: false`).
 * - `X-Content-Type-Options: nosniff`: a model's answer echoed in JSON can
 *   never be sniffed into HTML or script.
 * - `Referrer-Policy: strict-origin-when-cross-origin`: links out of the
 *   arena carry at most its origin, never a battle's URL.
 * - `Permissions-Policy`: the arena uses no camera, microphone, location,
 *   payment or USB; denying them means injected content cannot ask.
 *
 * hono/secure-headers supplies the rest of its defaults (COOP, CORP
 * same-origin, HSTS, X-Frame-Options): CORP only restricts no-cors loads, so
 * the public reads stay readable by CORS from any origin.
 */
import { secureHeaders } from "hono/secure-headers";

/** The CSP of every API answer. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Sent on API answers and, through client/public/_headers, on the HTML. */
export const REFERRER_POLICY = "strict-origin-when-cross-origin";

/** The features the arena never uses, denied to every frame. */
export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()";

/** The middleware; register it first so it wraps every other answer. */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  referrerPolicy: REFERRER_POLICY,
  xFrameOptions: "DENY",
  permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [], browsingTopics: [] },
  overwrite: false,
});
