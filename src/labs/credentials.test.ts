import { describe, expect, it } from "vitest";
import {
  SealingError,
  deriveMasterKey,
  hashLabApiKey,
  isWellFormedLabApiKey,
  labApiKeyPrefix,
  newLabApiKey,
  newWebhookSecret,
  openSecret,
  sealSecret,
} from "./credentials";

const SECRET = "a-local-lab-secrets-key-0123456789abcdef";

describe("lab API keys", () => {
  it("are recognisable by their prefix, and only their hash is kept", async () => {
    const { key, prefix, hash } = await newLabApiKey();
    expect(key).toMatch(/^ealab_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    expect(labApiKeyPrefix(key)).toBe(prefix);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(prefix.length + 1));
    expect(await hashLabApiKey(key)).toBe(hash);
  });

  it("are unique, prefixes included, over many keys", async () => {
    const keys = await Promise.all(Array.from({ length: 500 }, () => newLabApiKey()));
    expect(new Set(keys.map((k) => k.key)).size).toBe(500);
    expect(new Set(keys.map((k) => k.prefix)).size).toBeGreaterThan(495);
  });

  it("refuses junk before any lookup", () => {
    for (const junk of ["", "ealab_", "Bearer x", "ealab_3F9C01AB_" + "a".repeat(43), "ealab_3f9c01ab_" + "a".repeat(42), "ealab_3f9c01ab_" + "a".repeat(43) + "\n", "whsec_abc"]) {
      expect(isWellFormedLabApiKey(junk), junk).toBe(false);
      expect(labApiKeyPrefix(junk)).toBeNull();
    }
  });
});

describe("webhook secrets", () => {
  it("use the Standard Webhooks format: whsec_ and 32 bytes of base64", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(secret.slice(6)).length).toBe(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe("sealed secrets", () => {
  it("open with the same key and context", async () => {
    const master = await deriveMasterKey(SECRET);
    const sealed = await sealSecret(master, "sk-lab-endpoint-key", "model-1");
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("sk-lab");
    expect(await openSecret(master, sealed, "model-1")).toBe("sk-lab-endpoint-key");
    expect(await sealSecret(master, "sk-lab-endpoint-key", "model-1")).not.toBe(sealed);
  });

  it("refuse another context, another master secret, tampering and bad formats", async () => {
    const master = await deriveMasterKey(SECRET);
    const sealed = await sealSecret(master, "sk-lab-endpoint-key", "model-1");
    await expect(openSecret(master, sealed, "model-2")).rejects.toBeInstanceOf(SealingError);
    await expect(openSecret(await deriveMasterKey(`${SECRET}-other`), sealed, "model-1")).rejects.toBeInstanceOf(SealingError);
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === "A" ? "B" : "A") + sealed.at(-1);
    await expect(openSecret(master, flipped, "model-1")).rejects.toBeInstanceOf(SealingError);
    for (const bad of ["", "v2.a.b", "v1.a", "v1.a.b.c", "v1.@@.b"]) await expect(openSecret(master, bad, "model-1")).rejects.toBeInstanceOf(SealingError);
  });

  it("need a master secret of at least 32 characters", async () => {
    await expect(deriveMasterKey("short")).rejects.toBeInstanceOf(SealingError);
  });
});
