/**
 * The category judge, off the request path: each new text battle sends its
 * first prompt to the `CATEGORY_JUDGE` queue (when CATEGORY_JUDGE_MODEL
 * names a model), the consumer asks that model for a structured
 * classification (AI SDK structured output, validated by
 * src/categories/judge.ts) and hands it to the battle, which takes it in
 * place of the heuristic tags if it has not been voted on yet. A judge that
 * cannot be reached is retried by the queue; one whose answer breaks the
 * schema is not asked again. Either way the heuristics stand.
 */
import { generateText, NoObjectGeneratedError, Output } from "ai";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { classificationOf, judgePrompt, judgementSchema } from "../../src/categories/judge";
import { tagsOf } from "../../src/categories/tags";
import { configOf } from "../config";
import { models } from "../db/schema";
import { isModelAvailable, languageModelFor } from "../providers/registry";

export interface JudgeMessage {
  battleId: string;
  prompt: string;
}

/** A judge that has not answered in this long is abandoned for this attempt. */
const JUDGE_TIMEOUT_MS = 30_000;

/** Queues the battle's first prompt for the judge; nothing when no judge is configured. */
export async function requestJudgement(env: Env, message: JudgeMessage): Promise<void> {
  if (!configOf(env).categoryJudge) return;
  await env.CATEGORY_JUDGE.send(message, { contentType: "json" });
}

async function judgeOne(env: Env, { battleId, prompt }: JudgeMessage): Promise<void> {
  const judge = configOf(env).categoryJudge;
  if (!judge) return;
  const row = await drizzle(env.DB).select().from(models).where(eq(models.id, judge)).get();
  if (!row || !isModelAvailable(row, env)) throw new Error(`the category judge ${judge} is not available`);
  const { output } = await generateText({
    model: languageModelFor(row, env),
    output: Output.object({ schema: judgementSchema }),
    prompt: judgePrompt(prompt),
    maxRetries: 0,
    abortSignal: AbortSignal.timeout(JUDGE_TIMEOUT_MS),
  });
  const classification = classificationOf(output);
  await env.BATTLE_SESSION.get(env.BATTLE_SESSION.idFromName(battleId)).judged(tagsOf(classification, prompt), judge);
}

/** The queue consumer: one judgement per message, retried on failure. */
export async function handleJudgeBatch(batch: MessageBatch<JudgeMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      await judgeOne(env, message.body);
      message.ack();
    } catch (error) {
      // An answer that breaks the schema would break it again: asking twice only costs twice.
      const final = NoObjectGeneratedError.isInstance(error);
      console.warn(JSON.stringify({ event: "category_judge.failed", battleId: message.body.battleId, attempt: message.attempts, final, error: error instanceof Error ? error.message : String(error) }));
      if (final) message.ack();
      else message.retry();
    }
  }
}
