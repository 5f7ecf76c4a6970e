/**
 * Light/dark theme. Without a stored choice the page follows the system
 * (`prefers-color-scheme`, in CSS); the toggle stores an explicit choice that
 * public/theme-init.js applies before first paint on later visits.
 */
export type Theme = "light" | "dark";

const STORAGE_KEY = "edge-arena:theme";

/** The theme in effect now, explicit or from the system. */
export function currentTheme(): Theme {
  const explicit = document.documentElement.dataset.theme;
  if (explicit === "light" || explicit === "dark") return explicit;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Applies and remembers `theme`. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage can be unavailable (private mode, blocked cookies); the choice then lasts for this page only.
  }
}
