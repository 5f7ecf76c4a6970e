/**
 * No input gives a 5xx: every operation in the OpenAPI document — so every
 * route added later too — is called with hostile path parameters, query
 * strings and bodies, and must answer below 500, with the error shape on
 * every 4xx. Bounded: a fixed list of variants per operation.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api as plainApi } from "./helpers";

/** Every request is sent without credentials, as the admin, and as a lab, so routes behind auth are reached too. */
const credentials: Array<Record<string, string>> = [{}, { authorization: "Bearer test-admin-token-0123456789abcdef" }];
beforeAll(async () => {
  const lab = await plainApi("/api/v1/admin/labs", {
    method: "POST",
    headers: { ...credentials[1], "content-type": "application/json" },
    body: JSON.stringify({ name: "Sweep Lab" }),
  });
  credentials.push({ authorization: `Bearer ${((await lab.json()) as { apiKey: string }).apiKey}` });
});

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  let last: Response | undefined;
  for (const auth of credentials) {
    const response = await plainApi(path, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), ...auth } });
    if (last) await expectNo5xx(`${init.method ?? "GET"} ${path} (${Object.keys(auth).length ? "authenticated" : "anonymous"})`, last);
    last = response;
  }
  return last!;
}

interface Operation {
  method: string;
  path: string;
}

const JUNK_SEGMENTS = ["x", "%00", "..%2F..%2Fetc", "%F0%9F%92%A9", "0".repeat(300), "9f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "%27%20OR%201%3D1--"];
const JUNK_QUERIES = ["", "?category=%00", "?category=" + "c".repeat(500), "?style=sideways&matrices=7", "?category[]=a&category[]=b", "?%zz=1"];
const JUNK_BODIES: Array<{ type?: string; body?: string }> = [
  {},
  { type: "application/json", body: "" },
  { type: "application/json", body: "{" },
  { type: "application/json", body: "[]" },
  { type: "application/json", body: "null" },
  { type: "application/json", body: '{"mode":"anonymous","prompt":{"$gt":""},"winner":7,"__proto__":{"x":1}}' },
  { type: "application/json", body: JSON.stringify({ prompt: "\u0000".repeat(40_000) }) },
  { type: "text/plain", body: "hello" },
  { type: "application/x-www-form-urlencoded", body: "mode=anonymous&prompt=hi" },
  { type: "multipart/form-data; boundary=x", body: "--x\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nhi\r\n--x--" },
];

async function operations(): Promise<Operation[]> {
  const doc = (await (await api("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
}

function withParams(path: string, segment: string): string {
  return path.replace(/\{[^}]+\}/g, segment);
}

async function expectNo5xx(label: string, response: Response): Promise<void> {
  const text = await response.text();
  expect(response.status, `${label} → ${response.status} ${text.slice(0, 200)}`).toBeLessThan(500);
  if (response.status >= 400) expect(JSON.parse(text), label).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
}

describe("no input gives a 5xx", () => {
  it("the document lists the operations the sweep covers", async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(10);
    expect(ops).toEqual(
      expect.arrayContaining([
        { method: "GET", path: "/api/v1/audit" },
        { method: "POST", path: "/api/v1/battles/{id}/vote" },
        { method: "POST", path: "/api/v1/admin/labs" },
        { method: "POST", path: "/api/v1/lab/webhooks/{id}/rotate-secret" },
      ]),
    );
  });

  it("hostile path parameters and query strings on every operation", async () => {
    for (const { method, path } of await operations()) {
      const segments = path.includes("{") ? JUNK_SEGMENTS : ["-"];
      for (const segment of segments) {
        for (const query of method === "GET" ? JUNK_QUERIES : [""]) {
          const url = withParams(path, segment) + query;
          const init: RequestInit = method === "GET" ? {} : { method, headers: { "content-type": "application/json" }, body: "{}" };
          await expectNo5xx(`${method} ${url}`, await api(url, init));
        }
      }
    }
  });

  it("hostile bodies and content types on every operation that takes one", async () => {
    for (const { method, path } of (await operations()).filter((op) => op.method !== "GET")) {
      for (const { type, body } of JUNK_BODIES) {
        const url = withParams(path, JUNK_SEGMENTS[5]!);
        const headers: Record<string, string> = type ? { "content-type": type } : {};
        await expectNo5xx(`${method} ${url} (${type ?? "no body"})`, await api(url, { method, headers, body }));
      }
    }
  });
});
