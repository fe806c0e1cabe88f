import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The server serves dist/ itself (--ui-dir); `npm run dev` proxies the API to a running server.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
  // No source maps: the server would not serve them (they give the whole source away).
  build: { outDir: "dist", assetsDir: "assets", sourcemap: false },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
