/**
 * Who the anomaly test judges. A voter is either one anonymous session or
 * one IP with all its sessions' votes together, so a script that rotates its
 * cookie before each session reaches the test's minimum is still judged on
 * everything it cast from that address. Both kinds share `voter_flags`: a
 * session under its id, an IP as `ip:` followed by the votes' `ip_key`
 * (a keyed hash; the address itself is never stored).
 *
 * A vote is left out of the boards when its session or its IP is flagged.
 */

const IP_PREFIX = "ip:";

/** The voter id of an IP, from the votes' keyed hash. */
export function ipVoter(ipKey: string): string {
  return IP_PREFIX + ipKey;
}

export function isIpVoter(voter: string): boolean {
  return voter.startsWith(IP_PREFIX);
}

/** The keyed IP hash of an IP voter id. */
export function ipKeyOf(voter: string): string {
  return voter.slice(IP_PREFIX.length);
}

/** The voters a stored vote belongs to: its session and its IP, where known. */
export function votersOf(vote: { session_id: string | null; ip_key: string | null }): string[] {
  const voters: string[] = [];
  if (vote.session_id !== null) voters.push(vote.session_id);
  if (vote.ip_key !== null) voters.push(ipVoter(vote.ip_key));
  return voters;
}

/**
 * The seqs of every vote of a flagged voter (session or IP), each once:
 * driven by voter_flags_flagged, then votes_session_seq or votes_ip_seq for
 * each flagged voter. For `seq IN (…)` in a query on `votes`.
 */
export const FLAGGED_VOTE_SEQS = `
SELECT v.seq FROM voter_flags f JOIN votes v ON v.session_id = f.session_id WHERE f.flagged = 1
UNION
SELECT v.seq FROM voter_flags f JOIN votes v ON v.ip_key = substr(f.session_id, ${IP_PREFIX.length + 1})
WHERE f.flagged = 1 AND f.session_id LIKE '${IP_PREFIX}%'`;

/** Counted votes at or under the watermark `?1` that a flagged voter cast, with the given columns of `votes v`. */
export function selectFlaggedVotes(columns: string): string {
  return `SELECT ${columns} FROM votes v WHERE v.counted = 1 AND v.seq <= ?1 AND v.seq IN (${FLAGGED_VOTE_SEQS})`;
}
