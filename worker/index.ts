/**
 * The Workers entry: HTTP (Hono), the ranking cron, the webhook queues and
 * the category judge's queue.
 */
import { createApp } from "./app";
import { runRankingCron } from "./leaderboard/cron";
import { handleJudgeBatch, type JudgeMessage } from "./categories/judge-queue";
import { handleDeadLetters, handleWebhookBatch } from "./webhooks/consumer";

export { BattleSession } from "./battle/battle-session";
export { VoteQuota } from "./integrity/vote-quota";

const app = createApp();

/** Queue names as in wrangler.toml `[[queues.consumers]]`. */
const WEBHOOKS_QUEUE = "edge-arena-webhooks";
const WEBHOOKS_DEAD_QUEUE = "edge-arena-webhooks-dead";
const CATEGORY_JUDGE_QUEUE = "edge-arena-category-judge";

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runRankingCron(env, controller.scheduledTime));
  },
  async queue(batch, env) {
    if (batch.queue === WEBHOOKS_QUEUE) return handleWebhookBatch(batch, env);
    if (batch.queue === WEBHOOKS_DEAD_QUEUE) return handleDeadLetters(batch, env);
    if (batch.queue === CATEGORY_JUDGE_QUEUE) return handleJudgeBatch(batch as MessageBatch<JudgeMessage>, env);
    // A consumer bound to a queue this Worker does not know: keep the messages for a deployment that does.
    console.error(JSON.stringify({ queue: batch.queue, error: "no handler for this queue" }));
    batch.retryAll();
  },
} satisfies ExportedHandler<Env>;
