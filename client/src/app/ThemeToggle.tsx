import { useEffect, useState } from "preact/hooks";
import { applyTheme, currentTheme } from "./theme";

/** A button that switches between light and dark. */
export function ThemeToggle() {
  const [theme, setTheme] = useState(currentTheme);
  useEffect(() => {
    // Without an explicit choice the theme follows the system, which can change while the page is open.
    const scheme = matchMedia("(prefers-color-scheme: dark)");
    const follow = () => setTheme(currentTheme());
    scheme.addEventListener("change", follow);
    return () => scheme.removeEventListener("change", follow);
  }, []);
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      class="icon-button"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        applyTheme(next);
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{theme === "dark" ? "☀" : "☾"}</span>
    </button>
  );
}
