import { afterEach, expect, it } from "vitest";
import { CompiledStreams, type PostInput, type StreamChanges } from "./analyse-posts";
import { WorkerPool } from "./worker-pool";

const changes: StreamChanges = { workspaceId: "w", upsert: [{ id: "brand", query: "emberoak" }, { id: "fa", query: "بانک" }], remove: [] };
const posts: PostInput[] = [
  { text: "Emberoak is broken again", lang: "en", network: "sandbox", author: "a" },
  { text: "nothing here", lang: null, network: "sandbox", author: "b" },
  { text: "بانک‌ها امروز تعطیل هستند", lang: null, network: "sandbox", author: "c" },
];
const expected = () => {
  const streams = new CompiledStreams();
  streams.apply(changes);
  return streams.analyse("w", posts);
};

let pool: WorkerPool | undefined;
afterEach(() => pool?.close());

it("runs the CPU stage in worker threads with the streams it was given", async () => {
  pool = new WorkerPool(2);
  pool.apply(changes);
  const results = await Promise.all([pool.analyse("w", posts), pool.analyse("w", posts)]);
  expect(results[0]).toEqual(expected());
  expect(results[1]).toEqual(expected());
  expect(pool.inProcess).toBe(false);
});

it("stops starting workers that die before answering and runs the stage in this thread instead", async () => {
  let fellBack: Error | undefined;
  pool = new WorkerPool(2, new URL("data:text/javascript,throw new Error('cannot start')"), (err) => (fellBack = err));
  pool.apply(changes);
  const first = await pool.analyse("w", posts).then(
    (r) => r,
    (err: Error) => err,
  );
  // A batch handed to a worker that then died fails (its source retries from its cursor) — or it already ran here.
  if (first instanceof Error) expect(first.message).toMatch(/cannot start|exited/);
  for (let waited = 0; !pool.inProcess && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  expect(pool.inProcess).toBe(true);
  expect(fellBack?.message).toMatch(/cannot start|exited/);
  expect(await pool.analyse("w", posts)).toEqual(expected());
});
