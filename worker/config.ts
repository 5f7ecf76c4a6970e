/**
 * The Worker's configuration, parsed once from the env with zod: every
 * tunable the arena reads from `[vars]` or secrets, with its default and its
 * bounds, in one place. A value that does not parse falls back to its
 * default and is reported once in the log, so a typo in wrangler.toml is
 * visible without taking the arena down.
 */
import { z } from "zod";
import { DEFAULT_LAB_POLICY, type LabPolicy } from "../src/labs/lifecycle";
import type { OutboundPolicy } from "../src/net/outbound-url";
import { DEFAULT_RETRY_POLICY, QUEUE_MAX_DELAY_SECONDS, type RetryPolicy } from "../src/webhooks/retry-policy";
import { OUTBOX_RETRY_MIN_MS, type OutboxPolicy } from "./battle/outbox";

/** A tunable: its schema and the default used when it is unset or does not parse. */
const tunable = <T extends z.ZodType>(schema: T, fallback: z.infer<T>) => ({ schema, fallback });
const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  tunable(z.coerce.number().int().min(min).max(max), fallback);
const onOff = (fallback: "on" | "off") => tunable(z.enum(["on", "off"]), fallback);

const TUNABLES = {
  DEMO_MODELS: onOff("off"),
  DEMO_TOKEN_DELAY_MS: int(0, 0, 10_000),
  STREAM_STALL_MS: int(30_000, 1),
  STREAM_TOTAL_MS: int(300_000, 1),
  PROVIDER_MAX_RETRIES: int(0, 0, 10),
  NEW_MODEL_BOOST: tunable(z.coerce.number().min(1).max(100), 1),
  NEW_MODEL_BOOST_UNTIL_VOTES: int(0),
  // Turnstile is on only when its secret is set (`wrangler secret put TURNSTILE_SECRET_KEY`).
  TURNSTILE_SECRET_KEY: tunable(z.string().min(1).nullable(), null),
  /** The model (a `models` id) that judges prompts' categories; unset: heuristics only. */
  CATEGORY_JUDGE_MODEL: tunable(z.string().min(1).max(200).nullable(), null),
  TURNSTILE_SITE_KEY: tunable(z.string().min(1).nullable(), null),
  TURNSTILE_VERIFY_URL: tunable(z.url({ protocol: /^https?$/ }), "https://challenges.cloudflare.com/turnstile/v0/siteverify"),
  SESSION_DAILY_VOTE_CAP: int(50, 1),
  IP_DAILY_VOTE_CAP: int(200, 1),
  DUPLICATE_PROMPT_CAP: int(50, 1),
  OUTBOX_MAX_ATTEMPTS: int(12, 1, 1_000),
  OUTBOX_RETRY_MAX_MS: int(60_000, OUTBOX_RETRY_MIN_MS, 3_600_000),
  ANOMALY_ALPHA: tunable(z.coerce.number().gt(0).lt(1), 0.001),
  ANOMALY_MIN_VOTES: int(10, 1),
  ANOMALY_MIN_PAIR_HISTORY: int(20, 1),
  ANOMALY_SESSIONS_PER_RUN: int(2_000, 2, 100_000),
  OUTBOUND_ALLOW_LOOPBACK: onOff("off"),
  OUTBOUND_ALLOW_HTTP: onOff("off"),
  OUTBOUND_ALLOWED_PORTS: tunable(
    z
      .string()
      .regex(/^\s*\d{1,5}(\s*,\s*\d{1,5})*\s*$/)
      .transform((list) => list.split(",").map(Number))
      .pipe(z.array(z.number().int().min(1).max(65_535))),
    [] as number[],
  ),
  OUTBOUND_TIMEOUT_MS: int(10_000, 100, 60_000),
  WEBHOOK_SECRET_OVERLAP_HOURS: int(24, 0, 24 * 30),
  // At most 100: a queue consumer's max_retries (wrangler.toml) cannot exceed 100.
  WEBHOOK_MAX_ATTEMPTS: int(DEFAULT_RETRY_POLICY.maxAttempts, 1, 100),
  WEBHOOK_RETRY_BASE_SECONDS: int(DEFAULT_RETRY_POLICY.baseSeconds, 1, QUEUE_MAX_DELAY_SECONDS),
  WEBHOOK_RETRY_CAP_SECONDS: int(DEFAULT_RETRY_POLICY.capSeconds, 1, QUEUE_MAX_DELAY_SECONDS),
  WEBHOOK_TIMEOUT_MS: int(5_000, 100, 30_000),
  LAB_PREVIEW_CAP: int(DEFAULT_LAB_POLICY.previewCap, 0, 1_000),
  LAB_RELEASE_PROVISIONAL_VOTES: int(DEFAULT_LAB_POLICY.provisionalVotes, 0, 10_000_000),
  // Sign-in with GitHub or Google is on only when its client id and secret are set (secrets).
  GITHUB_CLIENT_ID: tunable(z.string().min(1).nullable(), null),
  GITHUB_CLIENT_SECRET: tunable(z.string().min(1).nullable(), null),
  GOOGLE_CLIENT_ID: tunable(z.string().min(1).nullable(), null),
  GOOGLE_CLIENT_SECRET: tunable(z.string().min(1).nullable(), null),
  OAUTH_GITHUB_AUTHORIZE_URL: tunable(z.url({ protocol: /^https?$/ }), "https://github.com/login/oauth/authorize"),
  OAUTH_GITHUB_TOKEN_URL: tunable(z.url({ protocol: /^https?$/ }), "https://github.com/login/oauth/access_token"),
  OAUTH_GITHUB_USER_URL: tunable(z.url({ protocol: /^https?$/ }), "https://api.github.com/user"),
  OAUTH_GOOGLE_AUTHORIZE_URL: tunable(z.url({ protocol: /^https?$/ }), "https://accounts.google.com/o/oauth2/v2/auth"),
  OAUTH_GOOGLE_TOKEN_URL: tunable(z.url({ protocol: /^https?$/ }), "https://oauth2.googleapis.com/token"),
  OAUTH_GOOGLE_USER_URL: tunable(z.url({ protocol: /^https?$/ }), "https://openidconnect.googleapis.com/v1/userinfo"),
};

type ParsedVars = { [K in keyof typeof TUNABLES]: (typeof TUNABLES)[K]["fallback"] };

function parseVars(env: Record<string, unknown>): ParsedVars {
  const vars: Record<string, unknown> = {};
  for (const [key, { schema, fallback }] of Object.entries(TUNABLES)) {
    const raw = env[key];
    const result = raw === undefined || raw === "" ? undefined : schema.safeParse(raw);
    if (result && !result.success) {
      console.warn(JSON.stringify({ config: key, value: String(raw), error: "does not parse; using the default", default: fallback }));
    }
    vars[key] = result?.success ? result.data : fallback;
  }
  return vars as ParsedVars;
}

/** The typed configuration; see wrangler.toml `[vars]` for what each value means. */
export interface ArenaConfig {
  demoModels: boolean;
  demoTokenDelayMs: number;
  stream: { stallMs: number; totalMs: number; maxRetries: number };
  sampling: { newModelBoost: number; boostUntilVotes: number };
  /** Cloudflare Turnstile on battle start; null when no secret is set (off). */
  turnstile: { secretKey: string; siteKey: string | null; verifyUrl: string } | null;
  /** Caps on counted votes (src/integrity/quotas.ts). */
  voteCaps: { perSessionPerDay: number; perIpPerDay: number; perPrompt: number };
  outbox: OutboxPolicy;
  /** The cron's anomalous-voter test (src/integrity/anomaly.ts) and how many sessions one run evaluates. */
  anomaly: { alpha: number; minVotes: number; minPairHistory: number; sessionsPerRun: number };
  /** Requests to URLs labs give (worker/net/outbound-fetch.ts): the SSRF policy and a timeout. */
  outbound: { policy: OutboundPolicy; timeoutMs: number };
  /**
   * Webhooks: how long the previous secret still signs deliveries after a
   * rotation, the retry policy (src/webhooks/retry-policy.ts) and the
   * receiver's time to answer one attempt.
   */
  webhooks: { secretOverlapHours: number; retry: RetryPolicy; timeoutMs: number };
  /** Lab rules (src/labs/lifecycle.ts): concurrent previews per lab, post-release votes before a model stops being provisional. */
  labs: LabPolicy;
  /** Sign-in with GitHub or Google (worker/accounts/oauth.ts); null when its secrets are not set. */
  oauth: Record<OAuthProviderName, OAuthProvider | null>;
  /** The model id of the category judge (worker/categories/judge-queue.ts), or null for heuristics only. */
  categoryJudge: string | null;
}

export type OAuthProviderName = "github" | "google";

export interface OAuthProvider {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Answers the signed-in user for a bearer access token: GitHub's `/user` (`id`), OpenID Connect's userinfo (`sub`). */
  userUrl: string;
}

function fromVars(vars: ParsedVars): ArenaConfig {
  return {
    demoModels: vars.DEMO_MODELS === "on",
    demoTokenDelayMs: vars.DEMO_TOKEN_DELAY_MS,
    stream: { stallMs: vars.STREAM_STALL_MS, totalMs: vars.STREAM_TOTAL_MS, maxRetries: vars.PROVIDER_MAX_RETRIES },
    sampling: { newModelBoost: vars.NEW_MODEL_BOOST, boostUntilVotes: vars.NEW_MODEL_BOOST_UNTIL_VOTES },
    turnstile: vars.TURNSTILE_SECRET_KEY
      ? { secretKey: vars.TURNSTILE_SECRET_KEY, siteKey: vars.TURNSTILE_SITE_KEY, verifyUrl: vars.TURNSTILE_VERIFY_URL }
      : null,
    voteCaps: { perSessionPerDay: vars.SESSION_DAILY_VOTE_CAP, perIpPerDay: vars.IP_DAILY_VOTE_CAP, perPrompt: vars.DUPLICATE_PROMPT_CAP },
    outbox: { maxAttempts: vars.OUTBOX_MAX_ATTEMPTS, minDelayMs: OUTBOX_RETRY_MIN_MS, maxDelayMs: vars.OUTBOX_RETRY_MAX_MS },
    anomaly: {
      alpha: vars.ANOMALY_ALPHA,
      minVotes: vars.ANOMALY_MIN_VOTES,
      minPairHistory: vars.ANOMALY_MIN_PAIR_HISTORY,
      sessionsPerRun: vars.ANOMALY_SESSIONS_PER_RUN,
    },
    outbound: {
      policy: { allowLoopback: vars.OUTBOUND_ALLOW_LOOPBACK === "on", allowHttp: vars.OUTBOUND_ALLOW_HTTP === "on", allowedPorts: vars.OUTBOUND_ALLOWED_PORTS },
      timeoutMs: vars.OUTBOUND_TIMEOUT_MS,
    },
    webhooks: {
      secretOverlapHours: vars.WEBHOOK_SECRET_OVERLAP_HOURS,
      retry: { maxAttempts: vars.WEBHOOK_MAX_ATTEMPTS, baseSeconds: vars.WEBHOOK_RETRY_BASE_SECONDS, capSeconds: vars.WEBHOOK_RETRY_CAP_SECONDS },
      timeoutMs: vars.WEBHOOK_TIMEOUT_MS,
    },
    labs: { previewCap: vars.LAB_PREVIEW_CAP, provisionalVotes: vars.LAB_RELEASE_PROVISIONAL_VOTES },
    categoryJudge: vars.CATEGORY_JUDGE_MODEL,
    oauth: {
      github:
        vars.GITHUB_CLIENT_ID && vars.GITHUB_CLIENT_SECRET
          ? { clientId: vars.GITHUB_CLIENT_ID, clientSecret: vars.GITHUB_CLIENT_SECRET, authorizeUrl: vars.OAUTH_GITHUB_AUTHORIZE_URL, tokenUrl: vars.OAUTH_GITHUB_TOKEN_URL, userUrl: vars.OAUTH_GITHUB_USER_URL }
          : null,
      google:
        vars.GOOGLE_CLIENT_ID && vars.GOOGLE_CLIENT_SECRET
          ? { clientId: vars.GOOGLE_CLIENT_ID, clientSecret: vars.GOOGLE_CLIENT_SECRET, authorizeUrl: vars.OAUTH_GOOGLE_AUTHORIZE_URL, tokenUrl: vars.OAUTH_GOOGLE_TOKEN_URL, userUrl: vars.OAUTH_GOOGLE_USER_URL }
          : null,
    },
  };
}

// One parse per env object: the env of an isolate does not change while it runs.
const parsed = new WeakMap<object, ArenaConfig>();

/**
 * The configuration for `env`, parsed on first use.
 *
 * @example configOf(env).stream.stallMs // 30000 unless STREAM_STALL_MS says otherwise
 */
export function configOf(env: Env): ArenaConfig {
  let config = parsed.get(env);
  if (!config) {
    config = fromVars(parseVars(env as unknown as Record<string, unknown>));
    parsed.set(env, config);
  }
  return config;
}
