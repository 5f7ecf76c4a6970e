import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: ["./worker/db/schema.ts", "./worker/db/labs-schema.ts", "./worker/db/accounts-schema.ts"],
  out: "./migrations",
});
