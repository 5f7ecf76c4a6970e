import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { bundleBudget } from "./build/bundle-budget";

/**
 * The web client. Built into dist/client at the repository root, which the
 * Worker serves as static assets (SPA fallback for client routes).
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact(), bundleBudget({ entry: "index.html", maxGzipBytes: 60 * 1024 })],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2022",
    // Source maps stay out of the deployed assets; the bundle is small and readable.
    sourcemap: false,
  },
});
