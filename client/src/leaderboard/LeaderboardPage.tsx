export function LeaderboardPage() {
  return <section class="empty-state"><h1>Leaderboard</h1></section>;
}
