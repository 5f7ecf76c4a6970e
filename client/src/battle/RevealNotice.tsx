/** What the vote revealed: who was who, and whether the vote counts. */
import type { VoteResponse, Winner } from "../../../src/wire";

const VERDICT: Record<Winner, string> = {
  a: "You preferred model A.",
  b: "You preferred model B.",
  tie: "You called it a tie.",
  bothbad: "You found both answers bad.",
};

/** Plain-language explanations of the server's exclusion reasons. */
const REASONS: Record<string, string> = {
  not_anonymous: "the models were known before voting, so only anonymous battles are ranked",
  side_error: "one of the answers failed",
  empty_response: "one of the answers was empty",
  identity_revealed: "an answer gave away which model wrote it",
  vote_cap: "today's limit of counted votes from this browser or network has been reached",
  duplicate_prompt: "this prompt has already been counted as often as any one prompt may be",
  anomalous_voter: "this browser's votes are under review as unusual",
};

/** Explains why a vote was recorded but not counted. */
export function describeExclusion(reason: string | undefined): string {
  return (reason && REASONS[reason]) ?? "it did not meet the arena's rules for ranked votes";
}

export function RevealNotice({ vote }: { vote: VoteResponse }) {
  return (
    <div class="reveal-notice" role="status">
      <p class="reveal-verdict">
        {VERDICT[vote.winner]} Model A was <strong>{vote.models.a.name}</strong> and model B was <strong>{vote.models.b.name}</strong>.
      </p>
      {vote.counted ? (
        <p class="reveal-counted">
          <span class="badge badge--ok">Counted</span> Your vote counts toward the leaderboard.
        </p>
      ) : (
        <p class="reveal-counted">
          <span class="badge badge--muted">Not counted</span> Your vote was recorded but does not count, because {describeExclusion(vote.reason)}.
        </p>
      )}
    </div>
  );
}
