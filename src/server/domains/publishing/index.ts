/** The publishing domain: posts composed for several channels, scheduled, published exactly once per channel; pause and resume. */
export { createPost } from "./commands/create-post";
export { updatePost } from "./commands/update-post";
export { cancelPost } from "./commands/cancel-post";
export { takeDownPost } from "./commands/take-down-post";
export { pausePublishing } from "./commands/pause-publishing";
export { resumePublishing } from "./commands/resume-publishing";
export { releaseHeldTargets } from "./commands/release-held-targets";
export { unsafeHandOverPostsOf } from "./commands/hand-over-posts";
export { listPosts, getPost } from "./queries/list-posts";
export { publishingStatus } from "./queries/publishing-status";
export { unsafeClaimDueTargets, unsafeRecoverStalledTargets } from "./publisher/claim-due-targets";
export { unsafeDeliverTarget } from "./publisher/deliver-target";
export { startPublisher, unsafePublishDue, type Publisher } from "./publisher/run-publisher";
export { DEFAULT_TIMING, backoffMs, type PublishTiming } from "./publisher/timing";
