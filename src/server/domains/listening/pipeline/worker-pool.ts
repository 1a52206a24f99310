import { Worker } from "node:worker_threads";
import { CompiledStreams, type AnalysedPost, type PostInput, type StreamChanges } from "./analyse-posts";
import type { Analyser } from "./pipeline";
import type { WorkerRequest } from "./worker";

type Pending = { resolve: (result: AnalysedPost[]) => void; reject: (err: Error) => void; posts: number; worker: Slot };
type Slot = { worker: Worker; load: number; answered: boolean };

const ENTRY = new URL("./worker-entry.mjs", import.meta.url);
/** Workers that die before answering anything, in a row, after which the pool stops starting them. */
const MAX_FAILED_STARTS = 3;

/**
 * The CPU stage in worker threads. Stream changes go to every worker (each keeps its own compiled streams); a batch
 * goes to the worker with the fewest posts in hand. A worker that dies fails its batches and is replaced (with the
 * streams it needs: every change is replayed to it). If workers cannot start at all (they die before answering,
 * three times in a row), the pool stops trying and runs the stage in this thread: slower, but never stuck.
 */
export class WorkerPool implements Analyser {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Every workspace's active streams as the workers have them, to bring a replacement worker up to date. */
  private readonly state = new Map<string, Map<string, string>>();
  private nextId = 1;
  private closing = false;
  private failedStarts = 0;
  private fallback: CompiledStreams | null = null;

  constructor(
    size: number,
    private readonly entry: URL = ENTRY,
    private readonly onFallback?: (err: Error) => void,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  /** Whether the stage runs in this thread because workers could not be started. */
  get inProcess(): boolean {
    return this.fallback !== null;
  }

  private start(): Slot {
    const worker = new Worker(this.entry);
    const slot: Slot = { worker, load: 0, answered: false };
    worker.on("message", (message: { id: number; result?: AnalysedPost[]; error?: string }) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      slot.load -= pending.posts;
      slot.answered = true;
      this.failedStarts = 0;
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
    if (!slot.answered) this.failedStarts++;
    if (!this.closing && this.failedStarts < MAX_FAILED_STARTS) this.slots[i] = this.start();
    else this.slots.splice(i, 1);
    if (!this.closing && this.slots.length === 0 && !this.fallback) {
      this.fallback = new CompiledStreams();
      for (const [workspaceId, streams] of this.state)
        this.fallback.apply({ workspaceId, upsert: [...streams].map(([id, query]) => ({ id, query })), remove: [] });
      this.onFallback?.(err);
    }
  }

  apply(changes: StreamChanges): void {
    let streams = this.state.get(changes.workspaceId);
    if (!streams) this.state.set(changes.workspaceId, (streams = new Map()));
    for (const id of changes.remove) streams.delete(id);
    for (const { id, query } of changes.upsert) streams.set(id, query);
    this.fallback?.apply(changes);
    for (const slot of this.slots) slot.worker.postMessage({ type: "streams", changes } satisfies WorkerRequest);
  }

  analyse(workspaceId: string, posts: PostInput[]): Promise<AnalysedPost[]> {
    if (this.fallback) return Promise.resolve(this.fallback.analyse(workspaceId, posts));
    if (this.slots.length === 0) return Promise.reject(new Error("listening workers are starting again"));
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
