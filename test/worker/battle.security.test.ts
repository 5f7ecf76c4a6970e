/**
 * Anonymity is a security property: before the vote, no byte the server sends
 * about a battle — stream payloads, headers, error bodies, the battle view —
 * may contain a model's name, id, provider, provider model id, endpoint or
 * organisation.
 */
import { describe, expect, it } from "vitest";
import { api, continueBattle, postJson, registerModels, startBattle, vote, type FakeModel } from "./helpers";

const OPENAI_SIDE: FakeModel = { id: "quasar-7", name: "Quasar Seven", organization: "Nimbus Research", provider: "openai", behaviour: "ok-quasar" };
const GEMINI_SIDE: FakeModel = { id: "pulsar-3", name: "Pulsar Three", organization: "Vector Foundry", provider: "google", behaviour: "slow-pulsar" };

function secretsOf(model: FakeModel): string[] {
  return [model.id, model.name, model.organization, model.provider, model.behaviour, "quasar", "pulsar", "nimbus", "vector foundry", "openai", "google", "gemini", "127.0.0.1"];
}

function dump(response: Response, body: string): string {
  return [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n") + "\n" + body;
}

function expectNoIdentity(bytes: string): void {
  const haystack = bytes.toLowerCase();
  for (const secret of [...secretsOf(OPENAI_SIDE), ...secretsOf(GEMINI_SIDE)]) {
    expect(haystack, `leaked "${secret}"`).not.toContain(secret.toLowerCase());
  }
}

describe("model identity before the vote", () => {
  it("never appears in any byte of the stream, headers, view or error answers", async () => {
    await registerModels(OPENAI_SIDE, GEMINI_SIDE);
    const seen: string[] = [];

    const first = await startBattle({ mode: "anonymous", prompt: "Tell me something interesting." });
    seen.push(dump(first.response, first.raw));
    const second = await continueBattle(first.battleId, "Go on.");
    seen.push(dump(second.response, second.raw));

    const view = await api(`/api/v1/battles/${first.battleId}`);
    seen.push(dump(view, await view.text()));
    expect(view.status).toBe(200);

    const refusals = [
      await postJson(`/api/v1/battles/${first.battleId}/vote`, { winner: "nobody" }),
      await postJson(`/api/v1/battles/${first.battleId}/vote`, "{not json"),
      await postJson(`/api/v1/battles/${first.battleId}/messages`, { prompt: "x".repeat(30_001) }),
      await postJson(`/api/v1/battles/${first.battleId}/messages`, { prompt: "" }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBeGreaterThanOrEqual(400);
      expect(refusal.status).toBeLessThan(500);
      seen.push(dump(refusal, await refusal.text()));
    }
    expectNoIdentity(seen.join("\n"));

    // After the vote, the reveal does name them: the scan above is meaningful.
    const reveal = await vote(first.battleId, "b");
    const revealed = await reveal.text();
    expect(revealed).toContain(OPENAI_SIDE.name);
    expect(revealed).toContain(GEMINI_SIDE.organization);
  });

  it("keeps a failing side's error message free of provider details", async () => {
    await registerModels({ ...OPENAI_SIDE, behaviour: "error-500" }, GEMINI_SIDE);
    const turn = await startBattle({ mode: "anonymous", prompt: "Hello" });
    expect(turn.events.some((e) => e.type === "error")).toBe(true);
    expectNoIdentity(dump(turn.response, turn.raw));
  });

  it("does not set any cross-origin permission on battle endpoints", async () => {
    await registerModels(OPENAI_SIDE, GEMINI_SIDE);
    const turn = await startBattle({ mode: "anonymous", prompt: "Hi" });
    expect(turn.response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
