// Bindings that exist only in the worker test project (see vitest.config.ts).
// Declared on both the global Env and Cloudflare.Env: runInDurableObject's
// typing reads the global one.
interface TestBindings {
  TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  FAKE_PROVIDER_URL: string;
  FAKE_API_KEY: string;
}
interface Env extends TestBindings {}
declare namespace Cloudflare {
  interface Env extends TestBindings {}
}
