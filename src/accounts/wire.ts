/**
 * The account API's JSON: sign-in with passkeys, the caller's own battles,
 * their personal leaderboard, and their control over their data. Shared by
 * the Worker and the client; requests are validated by the zod schemas in
 * ./wire-schemas.ts, which the build checks against these types.
 *
 * Every `me` route answers for the caller: the signed-in account, or — for
 * a visitor who has not signed in — the signed anonymous session's own
 * battles. Nobody reads another's history: an id that is not the caller's
 * is answered 404, exactly as an unknown id.
 */
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { BattleMode, ImageRef, RevealedModel, Side, Winner } from "../wire";

export type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON };

/** A passkey as its owner sees it; never the public key or the counter. */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** "singleDevice" or "multiDevice" (synced), as the authenticator said. */
  deviceType: string;
  backedUp: boolean;
}

export interface AccountView {
  id: string;
  createdAt: number;
  /** Whether the owner allows their conversations in the open dataset (default false). */
  publishConversations: boolean;
  /** Since when they allow it (ms since the epoch); conversations before it are never published. Null when off. */
  publishSince: number | null;
  passkeys: PasskeyView[];
  /** Signed-in sessions of the account that have not expired. */
  sessions: number;
  /** Sign-in providers linked to the account ("github", "google"). */
  linked: ("github" | "google")[];
}

/** `GET /api/v1/me`. */
export interface MeResponse {
  signedIn: boolean;
  /** Present when signed in. */
  account?: AccountView;
  /** When the current sign-in expires (ms since the epoch); present when signed in. */
  sessionExpiresAt?: number;
  /** The caller's battles and votes (the account's, or the anonymous session's). */
  battles: number;
  votes: number;
  /** Whether sign-in with GitHub or Google is configured on this arena. */
  oauth: { github: boolean; google: boolean };
}

/** `POST /api/v1/auth/passkeys/options` (register) and `POST /api/v1/auth/signin/options`. */
export interface RegistrationOptionsResponse {
  options: PublicKeyCredentialCreationOptionsJSON;
}
export interface AuthenticationOptionsResponse {
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** `POST /api/v1/auth/passkeys` — the browser's registration response, as @simplewebauthn/browser returns it. */
export interface RegisterPasskeyRequest {
  response: Record<string, unknown>;
  /** A label for the passkey ("Laptop"); defaults to the date. */
  name?: string;
}

/** `POST /api/v1/auth/signin` — the browser's authentication response. */
export interface SignInRequest {
  response: Record<string, unknown>;
}

/** After registering a passkey or signing in. */
export interface SignedInResponse {
  account: AccountView;
  sessionExpiresAt: number;
  /** Anonymous battles moved into the account by this sign-in. */
  merged: { battles: number };
}

/** `PATCH /api/v1/me/settings`. */
export interface SettingsRequest {
  publishConversations: boolean;
}

/** One battle in the caller's history list. */
export interface HistoryItem {
  battleId: string;
  mode: BattleMode;
  createdAt: number;
  categories: string[];
  /** The first prompt, cut to 280 characters. */
  prompt: string;
  turns: number;
  /** Present once voted. */
  vote?: { winner: Winner; counted: boolean; reason?: string; votedAt: number };
  /** The models, only once they may be revealed (voted, or not anonymous). */
  models?: Partial<Record<Side, RevealedModel>>;
}

/** `GET /api/v1/me/battles?q=&category=&voted=&cursor=&limit=`. */
export interface HistoryPage {
  battles: HistoryItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface HistoryTurn {
  turn: number;
  prompt: string;
  /** The prompt's images (vision arena). */
  attachments?: ImageRef[];
  answers: Partial<Record<Side, { text: string; status: "done" | "error"; error?: string; images?: ImageRef[] }>>;
}

/** `GET /api/v1/me/battles/{id}`. */
export interface HistoryDetail extends HistoryItem {
  turnsDetail: HistoryTurn[];
  /** Whether the battle can still be continued or voted on (unvoted, live state kept). */
  continuable: boolean;
}

/** `GET /api/v1/me/leaderboard`. */
export interface PersonalLeaderboardResponse {
  votes: number;
  minimumVotes: number;
  /** False below the minimum: then `rows` is empty. */
  shown: boolean;
  /** The models the caller has voted on; `publicRating` is null for a model not on the public board. */
  rows: { model: string; name: string; rating: number; publicRating: number | null; delta: number; votes: number; wins: number; losses: number; ties: number }[];
  /**
   * How close the caller's taste is to the public's, over their decisive
   * votes between models on the public board (`battles`): `rate`, how often
   * they chose the public favourite; `expected`, how often the public board
   * predicts that; `rankCorrelation`, Kendall's tau-b between their ratings
   * and the public ones. Null below the minimum votes.
   */
  agreement: { battles: number; rate: number | null; expected: number | null; rankCorrelation: number | null } | null;
}

/** `DELETE /api/v1/me` — the body must confirm. */
export interface DeleteAccountRequest {
  confirm: "delete my account";
}
