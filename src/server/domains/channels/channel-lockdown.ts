import type { Ctx } from "../../context";

/**
 * Whether `userId` is locked out of publishing and replying on a channel right now (a crisis lock down, today).
 * Channels owns this port and never imports who implements it: the crisis domain does (crisis/crises/lockdown.ts,
 * `lockedDownFor`) and the composition root registers it at start-up (services.ts), so imports point one way:
 * crisis → channels. Without one registered, nobody is locked out.
 */
export type ChannelLockdownCheck = (ctx: Ctx, workspaceId: string, channel: { network: string }, userId: string) => Promise<boolean>;

let check: ChannelLockdownCheck = async () => false;

/** Registers the lock down check channel rights apply (the composition root does, once per process). */
export function registerChannelLockdown(next: ChannelLockdownCheck): void {
  check = next;
}

/** Whether `userId` is locked out of publishing and replying on this channel (see ChannelLockdownCheck). */
export const channelLockedDownFor: ChannelLockdownCheck = (ctx, workspaceId, channel, userId) => check(ctx, workspaceId, channel, userId);
