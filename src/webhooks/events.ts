/**
 * The events the arena sends to labs, as zod schemas: they validate what the
 * producer builds and generate the OpenAPI 3.1 document's `webhooks`
 * section. Every delivery body is the envelope Standard Webhooks recommends,
 * `{ type, timestamp, data }`; its `webhook-id` header (the delivery id) is
 * the same on every retry, so receivers de-duplicate by it.
 */
import { z } from "zod";

const modelRef = {
  modelId: z.string(),
  /** Public name once released; the codename while in preview. */
  name: z.string(),
};

export const EVENT_DATA = {
  "leaderboard.published": z
    .object({ publicationId: z.string(), computedAt: z.string(), categories: z.array(z.string()), totalVotes: z.number().int().min(0) })
    .meta({ id: "LeaderboardPublishedEvent", description: "A new publication of the leaderboards." }),
  "model.rank_changed": z
    .object({
      ...modelRef,
      category: z.string(),
      style: z.enum(["default", "control"]),
      previousRank: z.number().int().min(1),
      rank: z.number().int().min(1),
      rating: z.number(),
      publicationId: z.string(),
    })
    .meta({ id: "ModelRankChangedEvent", description: "One of the lab's models moved against the previous publication, in one category and style." }),
  "model.votes_milestone": z
    .object({ ...modelRef, milestone: z.number().int().min(1), votes: z.number().int().min(0) })
    .meta({ id: "ModelVotesMilestoneEvent", description: "A model passed a counted-vote milestone (overall); each milestone is sent once." }),
  "preview.results_ready": z
    .object({ modelId: z.string(), codename: z.string(), votes: z.number().int().min(0), resultsPath: z.string() })
    .meta({ id: "PreviewResultsReadyEvent", description: "A preview has new private results; read them at resultsPath with the lab's key." }),
  "model.released": z
    .object({ ...modelRef, codename: z.string(), organization: z.string(), releasedAt: z.string() })
    .meta({ id: "ModelReleasedEvent", description: "A preview was released under its public name; its votes stay with it." }),
  "model.retired": z
    .object({ ...modelRef, reason: z.string(), retiredAt: z.string() })
    .meta({ id: "ModelRetiredEvent", description: "A model was retired: it stays on the boards, marked retired, and is no longer sampled." }),
} as const;

export type WebhookEventType = keyof typeof EVENT_DATA;
export const WEBHOOK_EVENT_TYPES = Object.keys(EVENT_DATA) as WebhookEventType[];

export type WebhookEventData<T extends WebhookEventType> = z.infer<(typeof EVENT_DATA)[T]>;

/** The body of every delivery. */
export interface WebhookEnvelope<T extends WebhookEventType = WebhookEventType> {
  type: T;
  timestamp: string;
  data: WebhookEventData<T>;
}

/** The envelope schema of one event type, for the OpenAPI `webhooks` section. */
export function envelopeSchema<T extends WebhookEventType>(type: T) {
  return z.object({ type: z.literal(type), timestamp: z.string(), data: EVENT_DATA[type] });
}

/**
 * Builds a delivery body, validating the data against its schema (a
 * producer bug fails here, not at the receiver).
 *
 * @example envelope("model.retired", { modelId, name, reason, retiredAt }, new Date())
 */
export function envelope<T extends WebhookEventType>(type: T, data: WebhookEventData<T>, at: Date): WebhookEnvelope<T> {
  return { type, timestamp: at.toISOString(), data: EVENT_DATA[type].parse(data) as WebhookEventData<T> };
}
