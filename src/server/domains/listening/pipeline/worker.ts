// A worker thread of the listening pipeline: keeps its own compiled streams (changes arrive in order before the
// batches that need them) and runs the CPU stage (analyse-posts.ts) on the batches it is given.
import { parentPort } from "node:worker_threads";
import { CompiledStreams, type PostInput, type StreamChanges } from "./analyse-posts";

export type WorkerRequest =
  | { type: "streams"; changes: StreamChanges }
  | { type: "analyse"; id: number; workspaceId: string; posts: PostInput[] };

const streams = new CompiledStreams();
const port = parentPort!;
port.on("message", (message: WorkerRequest) => {
  if (message.type === "streams") {
    streams.apply(message.changes);
    return;
  }
  try {
    port.postMessage({ id: message.id, result: streams.analyse(message.workspaceId, message.posts) });
  } catch (err) {
    port.postMessage({ id: message.id, error: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
