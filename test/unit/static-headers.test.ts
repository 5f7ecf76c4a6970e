/**
 * The static HTML's security headers come from client/public/_headers (Vite
 * copies it into the assets; Workers static assets apply it). These tests
 * keep it in step with the Worker's own headers and keep the CSP where it
 * can forbid framing.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { TURNSTILE_SCRIPT_URL } from "../../client/src/battle/turnstile";
import { PERMISSIONS_POLICY, REFERRER_POLICY } from "../../worker/http/security-headers";

const ROOT = resolve(import.meta.dirname, "../..");

/** The headers of the `/*` rule of a `_headers` file. */
function headersForAllPaths(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  let inRule = false;
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      inRule = line.trim() === "/*";
      continue;
    }
    if (!inRule) continue;
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

describe("the static assets' headers", () => {
  const headers = headersForAllPaths(readFileSync(resolve(ROOT, "client/public/_headers"), "utf8"));

  it("forbid framing by any site, in the CSP and for older browsers", () => {
    expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(headers.get("x-frame-options")).toBe("DENY");
  });

  it("keep the app's script policy: own scripts only, nothing inline or evaluated", () => {
    const csp = headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
  });

  it("let in only Turnstile from elsewhere: its script and its challenge frame, from the URL the client loads (and frame the arena's own sandboxed WebDev apps)", () => {
    const csp = headers.get("content-security-policy")!;
    const origin = new URL(TURNSTILE_SCRIPT_URL).origin;
    const directive = (name: string) => csp.split(";").map((d) => d.trim().split(/\s+/)).find(([n]) => n === name)?.slice(1);
    expect(directive("script-src")).toEqual(["'self'", origin]);
    expect(directive("frame-src")).toEqual(["'self'", origin]);
    expect(csp).not.toMatch(/\s\*(\s|;|$)/);
  });

  it("match the Worker's nosniff, referrer and permissions policies", () => {
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("referrer-policy")).toBe(REFERRER_POLICY);
    expect(headers.get("permissions-policy")).toBe(PERMISSIONS_POLICY);
  });

  it("are the only CSP of the HTML: index.html has no <meta> CSP to drift from it", () => {
    const html = readFileSync(resolve(ROOT, "client/index.html"), "utf8");
    expect(html.toLowerCase()).not.toContain('http-equiv="content-security-policy"');
  });
});
