import { expect, it } from "vitest";
import { PORTABLE_MATH_FINGERPRINT, portableMathFingerprint } from "../portable-math-fingerprint";

it("portable exp and log1p give the same bits in workerd as in Node", () => {
  expect(portableMathFingerprint()).toBe(PORTABLE_MATH_FINGERPRINT);
});
