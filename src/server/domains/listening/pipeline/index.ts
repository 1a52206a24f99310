// The listening pipeline (docs/listening.md, "Pipeline"): what sources submit their batches to.
export { createListeningPipeline, DEFAULT_WORKERS, PipelineClosedError, type ListeningPipelineOptions } from "./pipeline";
export type { BatchOutcome, IncomingPost, ListeningPipeline, SourceBatch } from "./types";
export { storeMatches, type MatchedPost, type SourcePosition, type StoreResult } from "./store-matches";
