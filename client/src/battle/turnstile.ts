/**
 * Cloudflare Turnstile in the browser, for arenas that turn it on. The
 * server says whether it wants a token (`GET /api/v1/config` gives a site
 * key, or null); only then is Cloudflare's script loaded and the widget
 * rendered, so an arena without Turnstile loads nothing from elsewhere.
 *
 * A token is good for one battle start (Siteverify accepts each token once),
 * so the widget is reset after every start and the next token is waited for
 * when it is needed. The widget uses `appearance: "interaction-only"`: most
 * visitors never see it; one the challenge wants to question sees it above
 * the prompt box.
 *
 * Client API: https://developers.cloudflare.com/turnstile/get-started/client-side-rendering/
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, getJson } from "../api/http";

/** Explicit rendering: the widget appears only where and when this module renders it. */
export const TURNSTILE_SCRIPT_URL = "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit";

/** How long a battle start waits for the challenge before telling the visitor. */
const TOKEN_WAIT_MS = 30_000;

interface TurnstileApi {
  render(container: HTMLElement, params: Record<string, unknown>): string | null | undefined;
  reset(widgetId: string): void;
  remove(widgetId: string): void;
}

declare global {
  interface Window {
    turnstile?: TurnstileApi;
  }
}

let scriptLoad: Promise<TurnstileApi> | undefined;

/** Loads Cloudflare's script once per page. */
function loadTurnstile(): Promise<TurnstileApi> {
  scriptLoad ??= new Promise<TurnstileApi>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = TURNSTILE_SCRIPT_URL;
    script.async = true;
    script.onload = () => (window.turnstile ? resolve(window.turnstile) : reject(new Error("Turnstile did not load")));
    script.onerror = () => {
      scriptLoad = undefined;
      reject(new Error("Turnstile could not be loaded"));
    };
    document.head.appendChild(script);
  });
  return scriptLoad;
}

export interface TurnstileCheck {
  /** Where the widget renders; attach to an element above the prompt box. */
  container: { current: HTMLDivElement | null };
  /** A message for the visitor when the check cannot be completed. */
  problem: string | undefined;
  /**
   * A fresh token for one battle start, or undefined when this arena has no
   * Turnstile. Waits for the challenge; rejects after {@link TOKEN_WAIT_MS}.
   */
  token(): Promise<string | undefined>;
}

/** The Turnstile check of the battle page. */
export function useTurnstile(): TurnstileCheck {
  const container = useRef<HTMLDivElement | null>(null);
  const siteKey = useRef<string | null | undefined>(undefined);
  const widget = useRef<{ api: TurnstileApi; id: string } | undefined>(undefined);
  const current = useRef<string | undefined>(undefined);
  const waiting = useRef<((token: string) => void)[]>([]);
  const configured = useRef<Promise<void> | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    configured.current = getJson<{ turnstileSiteKey: string | null }>("/api/v1/config")
      .then(async ({ turnstileSiteKey }) => {
        siteKey.current = turnstileSiteKey;
        if (!turnstileSiteKey || !live || !container.current) return;
        const api = await loadTurnstile();
        if (!live || !container.current) return;
        const id = api.render(container.current, {
          sitekey: turnstileSiteKey,
          action: "battle",
          appearance: "interaction-only",
          callback: (token: string) => {
            current.current = token;
            setProblem(undefined);
            for (const resolve of waiting.current.splice(0)) resolve(token);
          },
          "expired-callback": () => (current.current = undefined),
          "error-callback": () => {
            current.current = undefined;
            setProblem("The human check failed to load; reload the page to try again.");
          },
        });
        if (id) widget.current = { api, id };
      })
      .catch(() => {
        // No config means the older default (no Turnstile); a failed script load needs the visitor to know.
        if (siteKey.current) setProblem("The human check could not be loaded; check your connection and reload the page.");
      });
    return () => {
      live = false;
      if (widget.current) widget.current.api.remove(widget.current.id);
      widget.current = undefined;
    };
  }, []);

  const token = useCallback(async (): Promise<string | undefined> => {
    await configured.current;
    if (!siteKey.current) return undefined;
    const ready =
      current.current ??
      (await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.current = waiting.current.filter((w) => w !== done);
          reject(new ApiError(403, "turnstile_pending", "Please complete the human check above the prompt, then send again."));
        }, TOKEN_WAIT_MS);
        const done = (value: string) => {
          clearTimeout(timer);
          resolve(value);
        };
        waiting.current.push(done);
      }));
    // Spent by this start: ask the widget for the next one now.
    current.current = undefined;
    if (widget.current) widget.current.api.reset(widget.current.id);
    return ready;
  }, []);

  return { container, problem, token };
}
