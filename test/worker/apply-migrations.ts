import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach } from "vitest";
import { forgetPublication } from "../../worker/leaderboard/publication-id";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// Each test starts with empty KV, but the isolate's memory carries over:
// the publication id it holds would name a publication that is gone.
beforeEach(() => forgetPublication());
