/** The channels domain: the brand's social accounts connected to a workspace, their credentials and health. */
export { connectChannel } from "./commands/connect-channel";
export { verifyChannel, type CheckOutcome } from "./commands/verify-channel";
export { refreshChannel, REFRESH_WITHIN_MS } from "./commands/refresh-channel";
export { disconnectChannel, type RevokedAtNetwork } from "./commands/disconnect-channel";
export { unsafeCheckAllChannels, VERIFY_EVERY_MS } from "./commands/check-all-channels";
export { listChannels, listNetworks, getChannel } from "./queries/list-channels";
export { authorizeOnChannel, effectiveLevels, myLevels } from "./channel-access";
export { presentChannel, type PresentedChannel } from "./channel-records";
export { beginChannelAuthorization } from "./commands/begin-channel-authorization";
export { completeChannelAuthorization } from "./commands/complete-channel-authorization";
export { createReconnectLink, listReconnectLinks } from "./commands/create-reconnect-link";
export { revokeReconnectLink } from "./commands/revoke-reconnect-link";
export { viewReconnectLink, reconnectWithLink, beginReconnectWithLink } from "./commands/reconnect-with-link";
export { channelAccessMatrix } from "./queries/channel-access-matrix";
export { setChannelAccess, type AccessChange } from "./commands/set-channel-access";
export { unsafeCallChannel, type ChannelCall } from "./commands/call-channel";
export { describeFailure } from "./channel-records";
