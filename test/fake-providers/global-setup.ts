import type { TestProject } from "vitest/node";
import { startFakeProviders } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    fakeProviderPort: number;
  }
}

/** Starts the fake OpenAI/Gemini server once for the worker test project. */
export default async function setup(project: TestProject) {
  const { server, port } = await startFakeProviders();
  project.provide("fakeProviderPort", port);
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
