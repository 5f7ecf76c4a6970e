/**
 * The Workers entry: HTTP (Hono), the ranking cron, and the webhook queue.
 */
import { createApp } from "./app";

export { BattleSession } from "./battle/battle-session";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
