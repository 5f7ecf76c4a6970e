import { useEffect, useState } from "preact/hooks";
import { applyTheme, currentTheme, followSystemTheme } from "./theme";

/** A button that switches between light and dark. */
export function ThemeToggle() {
  const [theme, setTheme] = useState(currentTheme);
  // Without a stored choice the theme follows the system, which can change while the page is open.
  useEffect(() => followSystemTheme(setTheme), []);
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
