/**
 * Direct API calls that set the scene for browser tests (votes, a ranking
 * run) faster than clicking through the UI would.
 */

const WINNERS = ["a", "b", "tie", "a", "b", "bothbad", "a"];

async function readBattleId(response) {
  const text = await response.text();
  const match = /"battleId":"([^"]+)"/.exec(text);
  if (!match || !text.includes("event: end")) throw new Error(`battle stream did not complete:\n${text.slice(0, 500)}`);
  return match[1];
}

/** Plays `count` anonymous battles to the end and votes on each. */
export async function castVotes(baseUrl, count) {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}/api/v1/battles`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mode: "anonymous", prompt: `Question ${i}: how do tides work?` }),
    });
    if (!response.ok) throw new Error(`starting a battle failed: ${response.status} ${await response.text()}`);
    // A battle belongs to the session the server gave its first request.
    const cookie = response.headers.getSetCookie()[0]?.split(";")[0] ?? "";
    const battleId = await readBattleId(response);
    const vote = await fetch(`${baseUrl}/api/v1/battles/${battleId}/vote`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ winner: WINNERS[i % WINNERS.length] }),
    });
    if (!vote.ok) throw new Error(`voting failed: ${vote.status} ${await vote.text()}`);
  }
}

/** Runs the ranking cron and waits until the leaderboard index is published. */
export async function publishLeaderboards(baseUrl, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const cron = await fetch(`${baseUrl}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
    last = `cron ${cron.status}`;
    await cron.text();
    const index = await fetch(`${baseUrl}/api/v1/leaderboard/categories`, { headers: { "cache-control": "no-cache" } });
    last += `, index ${index.status}`;
    if (index.ok) {
      const body = await index.json();
      if (body.categories?.length > 0) return body;
    } else {
      await index.text();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`no leaderboard was published (${last})`);
}
