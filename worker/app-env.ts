/**
 * The Hono environment of the whole app: bindings and the per-request
 * variables middleware sets. A leaf module (it imports nothing of ours), so
 * routes and middleware can share it without importing the app, and
 * `worker/` has no import circle.
 */
import type { ArenaConfig } from "./config";

export interface AppVariables {
  requestId: string;
  /** The verified anonymous session of this request (fresh when none was sent). */
  sessionId: string;
  /** The signed-in account (worker/accounts/auth-session.ts), or null. */
  accountId: string | null;
  /** The SHA-256 of the presented sign-in token, when it is valid. */
  authTokenHash: string | null;
  /** The client's IP address as Cloudflare saw it (`CF-Connecting-IP`), or "unknown". */
  clientIp: string;
  /** The lab a lab route's bearer key belongs to (worker/labs/auth.ts). */
  labId: string;
  /** The Worker's configuration, parsed once from the env. */
  config: ArenaConfig;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
