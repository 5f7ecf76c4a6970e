/**
 * Light/dark theme, always explicit on `<html data-theme>`: public/theme-init.js
 * sets it before first paint from the stored choice, else from the system;
 * without a stored choice it keeps following the system ({@link followSystemTheme}).
 */
export type Theme = "light" | "dark";

const STORAGE_KEY = "edge-arena:theme";

/** True when the user has chosen a theme with the toggle. */
function hasStoredChoice(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== null;
  } catch {
    return false;
  }
}

/**
 * Keeps `data-theme` in step with the system while no choice is stored;
 * calls `onChange` after each change. Returns the unsubscribe function.
 */
export function followSystemTheme(onChange: (theme: Theme) => void): () => void {
  const scheme = matchMedia("(prefers-color-scheme: dark)");
  const follow = () => {
    if (hasStoredChoice()) return;
    document.documentElement.dataset.theme = scheme.matches ? "dark" : "light";
    onChange(currentTheme());
  };
  scheme.addEventListener("change", follow);
  return () => scheme.removeEventListener("change", follow);
}

/** The theme in effect now. */
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
