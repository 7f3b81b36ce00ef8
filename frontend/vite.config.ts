import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Vitest 5 reports failures with Map.groupBy, which Node 20 lacks (Node 21+).
// The config runs in the Vitest main process, so a small polyfill here keeps
// failure reports readable on the Node 20 our machines ship.
const mapWithGroupBy = Map as unknown as { groupBy?: unknown };
if (typeof mapWithGroupBy.groupBy !== "function") {
  mapWithGroupBy.groupBy = <K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> => {
    const out = new Map<K, V[]>();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
    return out;
  };
}

// The Go server embeds the build output (backend/internal/web/dist) and serves
// it with a strict CSP: no inline scripts, no resources from other origins.
export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../backend/internal/web/dist",
    emptyOutDir: true,
    // Every asset is a file of its own (CSP: no data: scripts or styles).
    // public/.gitkeep is copied into outDir, keeping the directory the Go embed needs.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 700,
    // Libraries change less often than our code: separate chunks stay cached
    // across releases.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // The password strength estimator and its dictionaries: loaded
            // only by the password pages (dynamic import), never up front.
            { name: "zxcvbn", test: /node_modules[\\/]@zxcvbn-ts[\\/]/, priority: 40 },
            { name: "protovalidate", test: /node_modules[\\/]@bufbuild[\\/](protovalidate|cel|re2)[\\/]/, priority: 30 },
            { name: "mantine", test: /node_modules[\\/]@mantine[\\/]/, priority: 20 },
            { name: "vendor", test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    environment: "node",
  },
});
