// Secrets the Worker reads (`wrangler secret put NAME`; locally `.dev.vars`).
// Not in wrangler.toml, so `wrangler types` cannot see them. Declared on both
// the global Env and Cloudflare.Env, which the test typings read.
interface ArenaSecrets {
  /** Signs session cookies, share links and keyed hashes; at least 32 characters. */
  SESSION_SECRET?: string;
  /** Bearer token of the admin routes (`/api/v1/admin/*`); unset, they answer 401 to everyone. */
  ADMIN_TOKEN?: string;
  /** Master secret sealing lab secrets (endpoint keys, webhook secrets); at least 32 characters. */
  LAB_SECRETS_KEY?: string;
}
interface Env extends ArenaSecrets {}
declare namespace Cloudflare {
  interface Env extends ArenaSecrets {}
}
