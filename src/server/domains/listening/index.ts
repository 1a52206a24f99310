/** Listening: streams (saved queries), the mentions they matched, query previews and people's corrections. */
export { createStream } from "./commands/create-stream";
export { updateStream } from "./commands/update-stream";
export { archiveStream } from "./commands/archive-stream";
export { reorderStreams } from "./commands/reorder-streams";
export { correctMention } from "./commands/correct-mention";
export { listStreams, getStream } from "./queries/list-streams";
export { listMentions, getMention } from "./queries/list-mentions";
export { previewQuery, PREVIEW_DAYS, PREVIEW_SCAN_LIMIT } from "./queries/preview-query";
export { streamVolumeByMinute, type MinuteVolume } from "./queries/stream-volume";
export { listAlerts, listImpostors } from "./alerts/alerts-api";
export { openAlertCounts } from "./alerts/open-alert-counts";
export { listSources } from "./sources";
