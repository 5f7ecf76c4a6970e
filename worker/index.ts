/**
 * The Workers entry: HTTP (Hono) and the ranking cron.
 */
import { createApp } from "./app";
import { runRankingCron } from "./leaderboard/cron";

export { BattleSession } from "./battle/battle-session";
export { VoteQuota } from "./integrity/vote-quota";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runRankingCron(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
