/**
 * Passkeys (WebAuthn) with @simplewebauthn/server: options for the browser,
 * then verification of what the authenticator signed. The relying party is
 * the arena's own host and origin, taken from the request (so a deployment
 * needs no configuration); a response made for another site fails.
 *
 * Each challenge is stored with the anonymous session that asked for it
 * (and, to add a passkey, with the signed-in account), lives five minutes,
 * and is consumed by the first attempt to use it, whatever its outcome: a
 * replayed response finds no challenge.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { and, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { AuthenticationOptionsResponse, RegistrationOptionsResponse } from "../../src/accounts/wire";
import { ArenaError } from "../../src/errors";
import type { AppEnv } from "../app-env";
import { accounts, authChallenges, passkeys } from "../db/accounts-schema";

const CHALLENGE_TTL_MS = 5 * 60 * 1000;
const RP_NAME = "Edge Arena";

function relyingParty(c: Context<AppEnv>): { rpID: string; origin: string } {
  const url = new URL(c.req.url);
  return { rpID: url.hostname, origin: url.origin };
}

async function storeChallenge(c: Context<AppEnv>, row: Omit<typeof authChallenges.$inferInsert, "sessionId" | "expiresAt">): Promise<void> {
  const db = drizzle(c.env.DB);
  const now = Date.now();
  await db.batch([
    db.delete(authChallenges).where(lt(authChallenges.expiresAt, now)),
    db.insert(authChallenges).values({ ...row, sessionId: c.get("sessionId"), expiresAt: now + CHALLENGE_TTL_MS }),
  ]);
}

/** The challenge the browser signed, read from its clientDataJSON; consumed here. */
async function consumeChallenge(c: Context<AppEnv>, purpose: "register" | "signin", response: { response: Record<string, unknown> }) {
  let challenge: unknown;
  try {
    const clientData = JSON.parse(isoBase64URL.toUTF8String(String(response.response.clientDataJSON ?? ""))) as { challenge?: unknown };
    challenge = clientData.challenge;
  } catch {
    throw new ArenaError("invalid_request", "response.clientDataJSON is not base64url-encoded JSON");
  }
  if (typeof challenge !== "string" || challenge.length === 0 || challenge.length > 200) {
    throw new ArenaError("invalid_request", "response.clientDataJSON has no challenge");
  }
  const [row] = await drizzle(c.env.DB).delete(authChallenges).where(eq(authChallenges.challenge, challenge)).returning();
  if (!row || row.purpose !== purpose || row.sessionId !== c.get("sessionId") || row.expiresAt <= Date.now()) {
    throw new ArenaError("unauthorized", "this sign-in attempt expired or was already used; start again");
  }
  if (row.accountId && row.accountId !== c.get("accountId")) {
    throw new ArenaError("unauthorized", "sign in again to add a passkey to this account");
  }
  return row;
}

/** The authenticator's transports as the browser reported them: known names only, at most eight. */
function transportsOf(value: unknown): string[] {
  const known = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);
  return Array.isArray(value) ? [...new Set(value.filter((t): t is string => typeof t === "string" && known.has(t)))].slice(0, 8) : [];
}

function unverified(error: unknown): ArenaError {
  const reason = error instanceof Error ? error.message : "verification failed";
  return new ArenaError("unauthorized", `the passkey could not be verified: ${reason}`);
}

/** Options to create a passkey: for a new account, or (signed in) another passkey of the caller's account. */
export async function registrationOptions(c: Context<AppEnv>): Promise<RegistrationOptionsResponse> {
  const accountId = c.get("accountId");
  const userId = accountId ?? crypto.randomUUID();
  const existing = accountId
    ? await drizzle(c.env.DB).select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.accountId, accountId))
    : [];
  const { rpID } = relyingParty(c);
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID,
    userName: `arena-${userId.slice(0, 8)}`,
    userDisplayName: "Edge Arena account",
    userID: new TextEncoder().encode(userId),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  await storeChallenge(c, { challenge: options.challenge, purpose: "register", accountId, userHandle: accountId ? null : userId });
  return { options };
}

/**
 * Verifies a new passkey and stores it. Returns the account it belongs to
 * and whether the account is new (then the caller signs it in).
 */
export async function registerPasskey(
  c: Context<AppEnv>,
  response: RegistrationResponseJSON,
  name: string | undefined,
): Promise<{ accountId: string; created: boolean }> {
  const challenge = await consumeChallenge(c, "register", response as unknown as { response: Record<string, unknown> });
  const { rpID, origin } = relyingParty(c);
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({ response, expectedChallenge: challenge.challenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: false });
  } catch (error) {
    throw unverified(error);
  }
  if (!verification.verified) throw unverified(null);
  const info = verification.registrationInfo;
  const db = drizzle(c.env.DB);
  const taken = await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, info.credential.id)).get();
  if (taken) throw new ArenaError("conflict", "this passkey is already registered");
  const accountId = challenge.accountId ?? challenge.userHandle!;
  const passkey = {
    id: info.credential.id,
    accountId,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    counter: info.credential.counter,
    transports: transportsOf(response.response.transports),
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    name: name ?? `Passkey of ${new Date().toISOString().slice(0, 10)}`,
  };
  if (challenge.accountId) {
    await db.insert(passkeys).values(passkey);
    return { accountId, created: false };
  }
  await db.batch([db.insert(accounts).values({ id: accountId }), db.insert(passkeys).values(passkey)]);
  return { accountId, created: true };
}

/** Options to sign in with any passkey of this site (discoverable credentials: no account is named). */
export async function authenticationOptions(c: Context<AppEnv>): Promise<AuthenticationOptionsResponse> {
  const options = await generateAuthenticationOptions({ rpID: relyingParty(c).rpID, userVerification: "preferred", allowCredentials: [] });
  await storeChallenge(c, { challenge: options.challenge, purpose: "signin", accountId: null, userHandle: null });
  return { options };
}

/** Verifies a sign-in and returns the passkey's account; the signature counter and last use are updated. */
export async function verifySignIn(c: Context<AppEnv>, response: AuthenticationResponseJSON): Promise<string> {
  const challenge = await consumeChallenge(c, "signin", response as unknown as { response: Record<string, unknown> });
  const db = drizzle(c.env.DB);
  const passkey = await db.select().from(passkeys).where(eq(passkeys.id, response.id)).get();
  if (!passkey) throw new ArenaError("unauthorized", "this passkey is not registered here (it may have been removed)");
  const { rpID, origin } = relyingParty(c);
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
      credential: { id: passkey.id, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: passkey.counter, transports: passkey.transports as never },
    });
  } catch (error) {
    throw unverified(error);
  }
  if (!verification.verified) throw unverified(null);
  await db
    .update(passkeys)
    .set({ counter: verification.authenticationInfo.newCounter, lastUsedAt: Date.now() })
    .where(and(eq(passkeys.id, passkey.id), eq(passkeys.accountId, passkey.accountId)));
  return passkey.accountId;
}
