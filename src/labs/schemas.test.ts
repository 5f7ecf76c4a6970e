import { describe, expect, it } from "vitest";
import { codenameSchema, registerPreviewRequest, releaseRequest, retireRequest } from "./schemas";

const preview = { codename: "quiet-otter", provider: "openai-compatible", endpoint: "https://api.example.com/v1", providerModelId: "m-1" };

describe("codenames", () => {
  it("accepts lowercase words joined by single hyphens", () => {
    for (const name of ["otter", "quiet-otter-7", "a1b", "x".repeat(40)]) expect(codenameSchema.safeParse(name).success).toBe(true);
  });

  it("refuses capitals, look-alikes, double or edge hyphens, and bad lengths", () => {
    for (const name of ["Otter", "оtter", "quiet--otter", "-otter", "otter-", "7otter", "ot", "x".repeat(41), "quiet otter", "otter_1"]) {
      expect(codenameSchema.safeParse(name).success, name).toBe(false);
    }
  });
});

describe("registering a preview", () => {
  it("accepts the minimal openai-compatible body and defaults the modality to text", () => {
    const parsed = registerPreviewRequest.parse(preview);
    expect(parsed.modality).toBe("text");
  });

  it("accepts licence, pricing and context length", () => {
    const parsed = registerPreviewRequest.parse({ ...preview, apiKey: "k", license: "Apache-2.0", pricing: { inputPerMillion: 0.5, outputPerMillion: 1.5 }, contextLength: 128000 });
    expect(parsed.pricing).toEqual({ inputPerMillion: 0.5, outputPerMillion: 1.5 });
  });

  it("needs an endpoint for openai-compatible and a key for openai or google", () => {
    const noEndpoint = registerPreviewRequest.safeParse({ ...preview, endpoint: undefined });
    expect(noEndpoint.success).toBe(false);
    expect(noEndpoint.error?.issues[0]?.path).toEqual(["endpoint"]);
    const noKey = registerPreviewRequest.safeParse({ ...preview, provider: "google", endpoint: undefined });
    expect(noKey.error?.issues[0]?.path).toEqual(["apiKey"]);
    expect(registerPreviewRequest.safeParse({ ...preview, provider: "google", endpoint: undefined, apiKey: "k" }).success).toBe(true);
  });

  it("refuses unknown providers and fields, negative prices and fractional context lengths", () => {
    expect(registerPreviewRequest.safeParse({ ...preview, provider: "demo" }).success).toBe(false);
    expect(registerPreviewRequest.safeParse({ ...preview, status: "active" }).success).toBe(false);
    expect(registerPreviewRequest.safeParse({ ...preview, pricing: { inputPerMillion: -1, outputPerMillion: 1 } }).success).toBe(false);
    expect(registerPreviewRequest.safeParse({ ...preview, contextLength: 1.5 }).success).toBe(false);
  });
});

describe("release and retire bodies", () => {
  it("a release needs a name; a retirement needs a reason", () => {
    expect(releaseRequest.safeParse({}).success).toBe(false);
    expect(releaseRequest.safeParse({ name: "Otter 1", organization: "Acme" }).success).toBe(true);
    expect(retireRequest.safeParse({ reason: "" }).success).toBe(false);
    expect(retireRequest.safeParse({ reason: "superseded by Otter 2" }).success).toBe(true);
  });
});
