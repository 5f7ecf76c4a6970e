import { useEffect } from "preact/hooks";

/** Sets the document title for the current page, e.g. "Leaderboard · Edge Arena". */
export function useTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Edge Arena` : "Edge Arena";
  }, [title]);
}
