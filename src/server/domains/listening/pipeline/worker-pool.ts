import { Worker } from "node:worker_threads";
import type { AnalysedPost, PostInput, StreamChanges } from "./analyse-posts";
import type { Analyser } from "./pipeline";
import type { WorkerRequest } from "./worker";

type Pending = { resolve: (result: AnalysedPost[]) => void; reject: (err: Error) => void; posts: number; worker: Slot };
type Slot = { worker: Worker; load: number };

const ENTRY = new URL("./worker-entry.mjs", import.meta.url);

/**
 * The CPU stage in worker threads. Stream changes go to every worker (each keeps its own compiled streams); a batch
 * goes to the worker with the fewest posts in hand. A worker that dies fails its batches and is replaced (with the
 * streams it needs: every change is replayed to it).
 */
export class WorkerPool implements Analyser {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Every workspace's active streams as the workers have them, to bring a replacement worker up to date. */
  private readonly state = new Map<string, Map<string, string>>();
  private nextId = 1;
  private closing = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  private start(): Slot {
    const worker = new Worker(ENTRY);
    const slot: Slot = { worker, load: 0 };
    worker.on("message", (message: { id: number; result?: AnalysedPost[]; error?: string }) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      slot.load -= pending.posts;
      if (message.error !== undefined) pending.reject(new Error(`listening worker: ${message.error}`));
      else pending.resolve(message.result!);
    });
    worker.on("error", (err) => this.lost(slot, err));
    worker.on("exit", (code) => {
      if (!this.closing) this.lost(slot, new Error(`listening worker exited with code ${code}`));
    });
    for (const [workspaceId, streams] of this.state) {
      const changes: StreamChanges = { workspaceId, upsert: [...streams].map(([id, query]) => ({ id, query })), remove: [] };
      worker.postMessage({ type: "streams", changes } satisfies WorkerRequest);
    }
    return slot;
  }

  private lost(slot: Slot, err: Error) {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    for (const [id, pending] of this.pending)
      if (pending.worker === slot) {
        this.pending.delete(id);
        pending.reject(err);
      }
    void slot.worker.terminate();
    if (!this.closing) this.slots[i] = this.start();
    else this.slots.splice(i, 1);
  }

  apply(changes: StreamChanges): void {
    let streams = this.state.get(changes.workspaceId);
    if (!streams) this.state.set(changes.workspaceId, (streams = new Map()));
    for (const id of changes.remove) streams.delete(id);
    for (const { id, query } of changes.upsert) streams.set(id, query);
    for (const slot of this.slots) slot.worker.postMessage({ type: "streams", changes } satisfies WorkerRequest);
  }

  analyse(workspaceId: string, posts: PostInput[]): Promise<AnalysedPost[]> {
    let slot = this.slots[0];
    for (const s of this.slots) if (s.load < slot.load) slot = s;
    const id = this.nextId++;
    slot.load += posts.length;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, posts: posts.length, worker: slot });
      slot.worker.postMessage({ type: "analyse", id, workspaceId, posts } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
