import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { OAUTH_CLIENTS } from "./test/fake-providers/oauth.ts";

function oauthVars(base: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const provider of ["github", "google"] as const) {
    const upper = provider.toUpperCase();
    vars[`${upper}_CLIENT_ID`] = OAUTH_CLIENTS[provider].id;
    vars[`${upper}_CLIENT_SECRET`] = OAUTH_CLIENTS[provider].secret;
    for (const endpoint of ["authorize", "token", "user"]) vars[`OAUTH_${upper}_${endpoint.toUpperCase()}_URL`] = `${base}/oauth/${provider}/${endpoint}`;
  }
  return vars;
}

/**
 * A project running the Worker inside workerd: the D1 migrations applied, the
 * fake providers reachable, and `vars` on top of the shared test bindings.
 */
function workerProject(name: string, include: string[], vars: Record<string, string>) {
  return {
    plugins: [
      cloudflareTest(async ({ inject }) => ({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations("./migrations"),
            FAKE_PROVIDER_URL: `http://127.0.0.1:${inject("fakeProviderPort")}`,
            FAKE_API_KEY: "test-key-not-secret",
            SESSION_SECRET: "test-session-secret-0123456789abcdef",
            ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
            LAB_SECRETS_KEY: "test-lab-secrets-key-0123456789abcdef",
            DEMO_MODELS: "off",
            DEMO_TOKEN_DELAY_MS: "0",
            STREAM_STALL_MS: "400",
            STREAM_TOTAL_MS: "5000",
            PROVIDER_MAX_RETRIES: "0",
            // Lab URLs in tests point at the local fake server.
            OUTBOUND_ALLOW_LOOPBACK: "on",
            OUTBOUND_ALLOW_HTTP: "on",
            // Webhook retries within seconds, so the real queue's retries and dead-lettering run in a test.
            WEBHOOK_MAX_ATTEMPTS: "3",
            WEBHOOK_RETRY_BASE_SECONDS: "1",
            WEBHOOK_RETRY_CAP_SECONDS: "1",
            WEBHOOK_TIMEOUT_MS: "1000",
            // Sign-in with GitHub and Google against the local OAuth provider (test/fake-providers/oauth.ts).
            ...oauthVars(`http://127.0.0.1:${inject("fakeProviderPort")}`),
            ...vars,
          },
        },
      })),
    ],
    test: {
      name,
      include,
      setupFiles: ["./test/worker/apply-migrations.ts"],
      globalSetup: ["./test/fake-providers/global-setup.ts"],
      testTimeout: 30_000,
    },
  };
}

/**
 * Projects:
 * - `unit`: the pure domain in src/, in plain Node.
 * - `worker`: the Worker, its Durable Object and bindings inside workerd, with
 *   D1 migrations applied and a local wire-compatible fake OpenAI/Gemini
 *   server (test/fake-providers) started by the global setup.
 * - `worker-caps`: the same Worker with small vote caps.
 * - `worker-judge`: the same Worker with a category judge configured.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/unit/**/*.test.ts", "client/src/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      workerProject("worker", ["test/worker/**/*.test.ts"], {
        // Test files repeat short prompts far more than people do; the cap itself is tested in test/worker-caps.
        DUPLICATE_PROMPT_CAP: "1000000",
      }),
      // Small caps, so reaching them takes a handful of votes.
      workerProject("worker-caps", ["test/worker-caps/**/*.test.ts"], {
        SESSION_DAILY_VOTE_CAP: "3",
        IP_DAILY_VOTE_CAP: "5",
        DUPLICATE_PROMPT_CAP: "4",
      }),
      // A category judge: the model of this id, served by the fake provider server.
      workerProject("worker-judge", ["test/worker-judge/**/*.test.ts"], { CATEGORY_JUDGE_MODEL: "category-judge" }),
    ],
  },
});
