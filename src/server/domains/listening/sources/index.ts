// Listening sources (docs/listening.md, "Sources"): what the streams API calls, and what the worker starts.
export { addSource, listSources, removeSource, restartSource, presentSource, BEHIND_SECONDS, type AddSourceInput, type PresentedSource } from "./manage-sources";
export { startSourceRunner, FEED_NETWORK, type SourceRunner, type SourceRunnerOptions } from "./runner";
export { backfillSource, BACKFILL_TERMS, type BackfillResult } from "./backfill";
export { readFeed, parseFeedItems, newFeedItems, FeedError, type FeedItem, type FeedCursor } from "./read-feed";
export { sourceNotFound, sourceChannelInvalid, sourceFeedInvalid, sourceExists } from "./sources.errors";
