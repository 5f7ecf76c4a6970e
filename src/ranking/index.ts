/**
 * The ranking engine's public surface: pure TypeScript, no platform imports,
 * so the Worker's cron and the CLI run the very same code.
 */
export { rankLeaderboard, RATING_CENTRE, RATING_SCALE, type RankingHooks } from "./leaderboard";
export { rankCategories } from "./categories";
export { canonicalPair, flipOutcome, foldVote, PairFold, pairCountsDelta, pairKey, pairTotal } from "./aggregate";
export {
  foldStyleVote,
  STYLE_BUCKET_WIDTH,
  STYLE_MOMENT_NAMES,
  STYLE_FEATURES,
  styleBucketDelta,
  styleBucketKey,
  styleBucketRowKey,
  styleDifference,
} from "./style";
export { MERGED_STYLE_BUCKET, mergeStyleBucketsPerPair, subtractPairCounts, subtractStyleBuckets } from "./subtract";
export { computeElo, createEloState, foldEloVote, type EloState } from "./elo";
export { createRandom, sampleBinomial, sampleMultinomial, type Random } from "./random";
export type * from "./types";
export {
  PERSONAL_MIN_VOTES,
  PERSONAL_PRIOR_SD,
  rankPersonalLeaderboard,
  type PersonalAgreement,
  type PersonalLeaderboard,
  type PersonalOptions,
  type PersonalRow,
  type PersonalVote,
  type PublicRating,
} from "./personal";
export { kendallTauB } from "./kendall";
