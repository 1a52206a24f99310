// Starts a pipeline worker thread. The sources are TypeScript run through tsx: a worker thread begins without the
// parent's module hooks when the parent was not started by the tsx CLI (bin/parapet.mjs registers them in-process,
// vitest uses its own), so register them here first.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
