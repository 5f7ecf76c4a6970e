import { describe, expect, it } from "vitest";
import { ArenaError } from "../errors";
import { assertPreviewAllowed, DEFAULT_LAB_POLICY, isProvisionalAfterRelease, isPublic, isSampled, LIFECYCLE_ACTIONS, MODEL_STATUSES, nextStatus } from "./lifecycle";

const conflict = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ArenaError);
    return (error as ArenaError);
  }
  throw new Error("expected a conflict");
};

describe("model lifecycle", () => {
  it("a preview is released to active or withdrawn, an active model is retired", () => {
    expect(nextStatus("preview", "release")).toBe("active");
    expect(nextStatus("preview", "withdraw")).toBe("withdrawn");
    expect(nextStatus("active", "retire")).toBe("retired");
  });

  it("every other transition is a 409 conflict that says what is allowed", () => {
    const allowed = new Set(["preview:release", "preview:withdraw", "active:retire"]);
    let refused = 0;
    for (const status of MODEL_STATUSES) {
      for (const action of LIFECYCLE_ACTIONS) {
        if (allowed.has(`${status}:${action}`)) continue;
        const error = conflict(() => nextStatus(status, action));
        expect(error.code).toBe("conflict");
        expect(error.message).toContain(`cannot ${action} a model that is ${status}`);
        refused++;
      }
    }
    expect(refused).toBe(MODEL_STATUSES.length * LIFECYCLE_ACTIONS.length - 3);
  });

  it("nothing leads out of retired or withdrawn, nor back to preview", () => {
    for (const action of LIFECYCLE_ACTIONS) {
      expect(() => nextStatus("retired", action)).toThrow(ArenaError);
      expect(() => nextStatus("withdrawn", action)).toThrow(ArenaError);
    }
  });

  it("previews and active models are sampled; only active and retired ones are public", () => {
    expect(MODEL_STATUSES.filter(isSampled)).toEqual(["preview", "active"]);
    expect(MODEL_STATUSES.filter(isPublic)).toEqual(["active", "retired"]);
  });
});

describe("preview cap", () => {
  it("allows previews below the cap and refuses the one above it with a clear 409", () => {
    expect(() => assertPreviewAllowed(2, DEFAULT_LAB_POLICY)).not.toThrow();
    const error = conflict(() => assertPreviewAllowed(3, DEFAULT_LAB_POLICY));
    expect(error.code).toBe("conflict");
    expect(error.message).toBe("this lab already runs 3 previews, the most allowed at once (3); release or withdraw one first");
  });

  it("follows a configured cap", () => {
    expect(() => assertPreviewAllowed(0, { ...DEFAULT_LAB_POLICY, previewCap: 1 })).not.toThrow();
    expect(() => assertPreviewAllowed(1, { ...DEFAULT_LAB_POLICY, previewCap: 1 })).toThrow(/1 preview, the most allowed at once \(1\)/);
  });
});

describe("provisional after release", () => {
  it("stays provisional until the configured number of post-release votes", () => {
    expect(DEFAULT_LAB_POLICY.provisionalVotes).toBe(1000);
    expect(isProvisionalAfterRelease(1799, 800, DEFAULT_LAB_POLICY)).toBe(true);
    expect(isProvisionalAfterRelease(1800, 800, DEFAULT_LAB_POLICY)).toBe(false);
    expect(isProvisionalAfterRelease(5, 0, { ...DEFAULT_LAB_POLICY, provisionalVotes: 5 })).toBe(false);
  });

  it("does not apply to models that were never released through the lab API", () => {
    expect(isProvisionalAfterRelease(0, null, DEFAULT_LAB_POLICY)).toBe(false);
  });
});
