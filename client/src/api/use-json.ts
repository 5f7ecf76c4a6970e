/**
 * Loads a JSON resource for a page. A 404 is its own state, because the
 * published leaderboards answer 404 until the ranking cron has run once, and
 * that deserves a friendly empty state rather than an error.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiError, describeError, getJson } from "./http";

export type Loaded<T> =
  | { status: "loading" }
  | { status: "ok"; data: T }
  | { status: "missing"; message: string }
  | { status: "error"; message: string };

/** Fetches `path` (skipped when null) and refetches when it changes. */
export function useJson<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: "loading" });
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState((previous) => (previous.status === "ok" ? previous : { status: "loading" }));
    getJson<T>(path, controller.signal)
      .then((data) => setState({ status: "ok", data }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) setState({ status: "missing", message: error.message });
        else setState({ status: "error", message: describeError(error) });
      });
    return () => controller.abort();
  }, [path]);
  return state;
}
