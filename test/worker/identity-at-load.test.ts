/**
 * Anonymity under load: sixty battles at once over four models of both
 * providers, each continued, viewed, stopped and refused a share, and every byte the server sent before its vote — stream
 * payloads, headers, views, error answers — scanned for any model's id,
 * name, organisation, provider or provider model id. One battle's scan is in
 * battle.security.test.ts; this one makes sure nothing leaks when streams
 * interleave.
 */
import { describe, expect, it } from "vitest";
import { api, continueBattle, postJson, registerModels, startBattle, type FakeModel } from "./helpers";

const MODELS: FakeModel[] = [
  { id: "zephyr-11", name: "Zephyr Eleven", organization: "Halcyon Labs", provider: "openai", behaviour: "ok-zephyr" },
  { id: "borealis-4", name: "Borealis Four", organization: "Tundra Systems", provider: "google", behaviour: "slow-borealis" },
  { id: "cinder-9", name: "Cinder Nine", organization: "Ashgrove AI", provider: "openai", behaviour: "ok-cinder" },
  { id: "lumiere-2", name: "Lumiere Two", organization: "Prisme Studio", provider: "google", behaviour: "ok-lumiere" },
];
const SECRETS = MODELS.flatMap((m) => [m.id, m.name, m.organization, m.behaviour, m.name.split(" ")[0]!, m.organization.split(" ")[0]!]).concat(["openai", "gemini", "googleapis", "127.0.0.1"]);

const dump = (response: Response, body: string) => [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n") + "\n" + body;

describe("model identity before the vote, at load", () => {
  it("appears in no byte of sixty concurrent battles' streams, views, stops and refusals", async () => {
    await registerModels(...MODELS);
    const seen: string[] = [];
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const first = await startBattle({ mode: "anonymous", prompt: `Load scan question ${i}: why is the sky blue?` });
        seen.push(dump(first.response, first.raw));
        const next = await continueBattle(first.battleId, "And at sunset?");
        seen.push(dump(next.response, next.raw));
        for (const path of [`/api/v1/battles/${first.battleId}`, `/api/v1/battles/${first.battleId}/app?turn=1&side=a`]) {
          const response = await api(path);
          seen.push(dump(response, await response.text()));
        }
        const stop = await postJson(`/api/v1/battles/${first.battleId}/stop`, {});
        seen.push(dump(stop, await stop.text()));
        const share = await postJson(`/api/v1/battles/${first.battleId}/share`, {});
        seen.push(dump(share, await share.text()));
      }),
    );
    expect(seen).toHaveLength(360);
    const haystack = seen.join("\n").toLowerCase();
    expect(haystack).toContain("event: delta");
    for (const secret of SECRETS) expect(haystack, `leaked "${secret}"`).not.toContain(secret.toLowerCase());
  });
});
