import { AppError, conflict } from "../../errors";

export const channelAlreadyConnected = () => conflict("channel_already_connected", "This account is already connected to this workspace");
export const channelDisconnected = () => conflict("channel_disconnected", "This channel is disconnected: connect the account again");
export const connectRefused = (reason: string) =>
  new AppError("channel_connect_refused", 422, `The network did not accept the sign-in: ${reason}`);
export const networkUnreachable = (reason: string) =>
  new AppError("network_unreachable", 503, `The network did not answer as expected (${reason}); try again in a moment`);
export const connectMethodMismatch = (expected: string) =>
  new AppError("invalid_input", 400, "This network is connected another way", { kind: [`This network connects with ${expected}`] });
export const channelAccountMismatch = (message: string) => new AppError("channel_account_mismatch", 422, message);
export const authorizationInvalid = () =>
  new AppError("channel_authorization_invalid", 410, "This sign-in at the network is not valid any more (used, expired or started by someone else): start again");
export const reconnectLinkInvalid = () => new AppError("reconnect_link_invalid", 410, "This reconnect link is not valid any more: ask for a new one");

/** A crisis lock down: only the crisis team may publish or reply on the channel now (see channel-lockdown.ts). */
export const crisisLockdown = () => new AppError("crisis_lockdown", 403, "Crisis lock down: only the crisis team may publish or reply on this channel now; send a new post for approval, a held post or a reply waits for the crisis team");
