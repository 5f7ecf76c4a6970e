/**
 * A local OAuth 2.0 provider speaking the protocol GitHub and Google speak
 * to the arena: the authorization endpoint (which signs in whichever user
 * the test names with `as=`), the token endpoint (client authentication by
 * HTTP Basic, one use per code, the redirect URI and the PKCE S256 verifier
 * checked) and the user endpoint (GitHub's `id`, OpenID Connect's `sub`).
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const OAUTH_CLIENTS = {
  github: { id: "test-github-client", secret: "test-github-secret" },
  google: { id: "test-google-client", secret: "test-google-secret" },
} as const;

type Provider = keyof typeof OAUTH_CLIENTS;
const codes = new Map<string, { provider: Provider; subject: string; challenge: string; redirectUri: string }>();
const tokens = new Map<string, { provider: Provider; subject: string }>();

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** Handles `/oauth/{github|google}/{authorize|token|user}`; false for any other path. */
export async function oauthProvider(url: URL, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const match = url.pathname.match(/^\/oauth\/(github|google)\/(authorize|token|user)$/);
  if (!match) return false;
  const provider = match[1] as Provider;
  const client = OAUTH_CLIENTS[provider];
  if (match[2] === "authorize") {
    const q = url.searchParams;
    if (q.get("client_id") !== client.id || q.get("response_type") !== "code" || q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) {
      json(res, 400, { error: "invalid_request" });
      return true;
    }
    const code = randomBytes(16).toString("hex");
    codes.set(code, { provider, subject: q.get("as") ?? "1", challenge: q.get("code_challenge")!, redirectUri: q.get("redirect_uri")! });
    const back = new URL(q.get("redirect_uri")!);
    back.searchParams.set("code", code);
    back.searchParams.set("state", q.get("state") ?? "");
    res.writeHead(302, { location: back.toString() }).end();
    return true;
  }
  if (match[2] === "token") {
    const body = await form(req);
    const basic = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString("utf8");
    const grant = codes.get(body.get("code") ?? "");
    codes.delete(body.get("code") ?? "");
    const verifier = body.get("code_verifier") ?? "";
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    if (basic !== `${client.id}:${client.secret}`) return json(res, 401, { error: "invalid_client" }), true;
    if (!grant || grant.provider !== provider || grant.redirectUri !== body.get("redirect_uri") || grant.challenge !== challenge) {
      return json(res, 400, { error: "invalid_grant", error_description: "bad code, redirect URI or verifier" }), true;
    }
    const token = randomBytes(16).toString("hex");
    tokens.set(token, { provider, subject: grant.subject });
    json(res, 200, { access_token: token, token_type: "bearer", scope: "" });
    return true;
  }
  const user = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
  if (!user || user.provider !== provider) return json(res, 401, { message: "Bad credentials" }), true;
  json(res, 200, provider === "github" ? { id: Number(user.subject), login: `user${user.subject}` } : { sub: user.subject, email_verified: true });
  return true;
}
