/**
 * The lifecycle of a model a lab registers, as pure rules.
 *
 * A lab model starts as a `preview`: it battles anonymously under its
 * codename and stays off the public boards. It then either gets `released`
 * (status `active`, under its public name, keeping every vote it earned:
 * same id) or `withdrawn` (the preview ends; its votes stay stored). An
 * active model can be `retired` with a reason: it stays on the boards,
 * marked retired, and is no longer sampled. Built-in and operator models
 * from the catalogue are `active` from the start.
 *
 * Nothing here removes a released model or a vote: there is no transition
 * out of `retired` or `withdrawn`, and none back to `preview`. This answers
 * "The Leaderboard Illusion" (Singh et al., 2025), where private variants
 * were tested and silently dropped.
 */
import { ArenaError } from "../errors";

export const MODEL_STATUSES = ["preview", "active", "withdrawn", "retired"] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export const LIFECYCLE_ACTIONS = ["release", "withdraw", "retire"] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** Which status each action moves a model from, and to. */
export const TRANSITIONS: Readonly<Record<LifecycleAction, { from: ModelStatus; to: ModelStatus }>> = {
  release: { from: "preview", to: "active" },
  withdraw: { from: "preview", to: "withdrawn" },
  retire: { from: "active", to: "retired" },
};

/**
 * The status `action` leads to from `status`; throws `conflict` (409) with a
 * message that says what is allowed instead.
 *
 * @example nextStatus("preview", "release") // "active"
 */
export function nextStatus(status: ModelStatus, action: LifecycleAction): ModelStatus {
  const rule = TRANSITIONS[action];
  if (rule.from !== status) {
    throw new ArenaError("conflict", `cannot ${action} a model that is ${status}: only a ${rule.from} model can be ${pastTense(action)}`);
  }
  return rule.to;
}

function pastTense(action: LifecycleAction): string {
  return action === "withdraw" ? "withdrawn" : `${action}d`;
}

/** Statuses whose models are drawn for anonymous battles. */
export function isSampled(status: ModelStatus): boolean {
  return status === "preview" || status === "active";
}

/** Statuses whose models are on the public boards and in the public model list's history. */
export function isPublic(status: ModelStatus): boolean {
  return status === "active" || status === "retired";
}

/** Lab rules that a deployment can tune (`LAB_PREVIEW_CAP`, `LAB_RELEASE_PROVISIONAL_VOTES`). */
export interface LabPolicy {
  /** Most previews one lab may run at the same time. */
  previewCap: number;
  /** Counted votes after release before a released model stops being provisional. */
  provisionalVotes: number;
}

export const DEFAULT_LAB_POLICY: LabPolicy = { previewCap: 3, provisionalVotes: 1000 };

/**
 * Refuses a new preview when the lab already runs `running` of them: a cap
 * on concurrent private variants, so no lab can test dozens and publish the
 * best one (the critique's 27 variants).
 */
export function assertPreviewAllowed(running: number, policy: LabPolicy): void {
  if (running >= policy.previewCap) {
    throw new ArenaError(
      "conflict",
      `this lab already runs ${running} preview${running === 1 ? "" : "s"}, the most allowed at once (${policy.previewCap}); release or withdraw one first`,
    );
  }
}

/**
 * Whether a released model is still provisional: until it has
 * `policy.provisionalVotes` counted votes beyond those it had at release
 * (LMArena marks new models "preliminary" the same way). Models never
 * released through the lab API (`votesAtRelease` null) are not affected.
 *
 * @example isProvisionalAfterRelease(1500, 800, DEFAULT_LAB_POLICY) // true: 700 post-release votes
 */
export function isProvisionalAfterRelease(votesNow: number, votesAtRelease: number | null, policy: LabPolicy): boolean {
  if (votesAtRelease === null) return false;
  return votesNow - votesAtRelease < policy.provisionalVotes;
}
