import type { PublicPost } from "../../../networks/types";

/**
 * What sources hand to the listening pipeline, and what it answers. Sources (sources/) read networks and feeds;
 * the pipeline (pipeline/) normalises, de-duplicates, detects language, matches every active stream, scores
 * sentiment and stores the matches with the source's cursor in one transaction (storeMatches).
 */

/** A public post as a source received it. `lang` is the language the post declares (Bluesky's `langs`), if any. */
export type IncomingPost = { network: string; post: PublicPost; receivedAt: Date };

/** One source's batch: its posts in order, and the position to store once they are handled (null: none yet). */
export type SourceBatch = {
  workspaceId: string;
  sourceId: string;
  posts: IncomingPost[];
  position: { cursor: string; lastItemAt: Date | null } | null;
};

/** What became of a batch: matched and stored, already stored before (a replay), or shed because of load. */
export type BatchOutcome = { received: number; matched: number; stored: number; shed: number };

/**
 * The pipeline as sources see it. `submit` resolves once the batch's matches and the source's cursor are stored
 * (so a source may move on); under overload it sheds posts and says how many, never silently and never by
 * falling over. `close` drains what was accepted and stops the workers.
 */
export interface ListeningPipeline {
  submit(batch: SourceBatch): Promise<BatchOutcome>;
  /** How loaded it is now: posts waiting, posts shed since start, and how many may wait before posts are shed. */
  load(): { queued: number; shed: number; maxQueued: number };
  close(): Promise<void>;
}
