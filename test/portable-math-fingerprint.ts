/**
 * A fingerprint of the bits of many portable exp and log1p results
 * (src/ranking/portable-math.ts). The unit tests (Node) and the Worker tests
 * (workerd, a different V8) both assert it, which is the claim: the same
 * bits on both engines, where Math.exp's differ.
 */
import { portableExp, portableLog1p } from "../src/ranking/portable-math";

export const PORTABLE_MATH_FINGERPRINT = "c964b3e6";

export function portableMathFingerprint(): string {
  const view = new DataView(new ArrayBuffer(8));
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    view.setFloat64(0, v);
    for (let b = 0; b < 8; b++) h = Math.imul(h ^ view.getUint8(b), 0x01000193) >>> 0;
  };
  let x = 0.123456789;
  for (let k = 0; k < 20_000; k++) {
    x = (x * 1103515245 + 12345) % 97.3;
    mix(portableExp(-x / 3));
    mix(portableExp(x / 9));
    mix(portableLog1p(x / 97.3));
    mix(portableLog1p(portableExp(-x)));
  }
  return h.toString(16);
}

