import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { useLocation } from "preact-iso";
import { ThemeToggle } from "./ThemeToggle";

const LINKS = [
  { href: "/", label: "Arena" },
  { href: "/leaderboard", label: "Leaderboard" },
  { href: "/history", label: "History" },
  { href: "/account", label: "Account" },
];

/** Page frame: skip link, header with navigation and theme toggle, main landmark. */
export function Shell({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const firstPath = useRef(path);
  useEffect(() => {
    // After client-side navigation, move focus to the new content so keyboard
    // and screen-reader users start there, as after a full page load.
    if (path === firstPath.current) return;
    firstPath.current = "";
    document.getElementById("main")?.focus({ preventScroll: false });
  }, [path]);
  const active = (href: string) => (href === "/" ? path === "/" : path.startsWith(href) || (href === "/leaderboard" && path.startsWith("/models/")));
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <a class="brand" href="/">
          <svg aria-hidden="true" viewBox="0 0 32 32" width="24" height="24">
            <rect width="32" height="32" rx="8" fill="var(--accent)" />
            <path d="M9 22 16 8l7 14M11.5 17h9" stroke="#fff" stroke-width="2.6" fill="none" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
          <span class="brand-name">Edge Arena</span>
        </a>
        <nav aria-label="Main">
          {LINKS.map((link) => (
            <a key={link.href} href={link.href} class="nav-link" aria-current={active(link.href) ? "page" : undefined}>
              {link.label}
            </a>
          ))}
        </nav>
        <ThemeToggle />
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
