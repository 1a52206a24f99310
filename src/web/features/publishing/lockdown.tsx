import { Alert } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Channel } from "../../api/types";
import { useCrisisBanner } from "../crisis/hooks";
import { at } from "./components";

/**
 * The chosen channels a crisis lock down covers for the reader (not on the crisis team): their posts there go to
 * the crisis team for approval (see docs/crisis.md, crisis mode). A drill's lock down covers Sandbox channels only;
 * on the team of one of the lock downs covering a channel, the reader is not locked out of it.
 */
export function useLockedChannels(chosen: Channel[]): { channels: Channel[]; refs: string[] } {
  const banner = useCrisisBanner();
  const locks = (banner.data?.crises ?? []).filter((c) => c.mode?.lockdown);
  const covering = (channel: Channel) => locks.filter((l) => !l.isDrill || channel.network === "sandbox");
  const channels = chosen.filter((c) => covering(c).length > 0 && covering(c).every((l) => l.lockedOut));
  const refs = [...new Set(channels.flatMap((c) => covering(c).map((l) => l.ref)))];
  return { channels, refs };
}

/** Tells the writer, before they send it, that the crisis team must approve their post on these channels. */
export function LockdownNote({ locked }: { locked: { channels: Channel[]; refs: string[] } }) {
  const { t } = useTranslation();
  if (!locked.channels.length) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconLock size={18} aria-hidden />} title={t("publishing.composer.lockdownTitle", { refs: locked.refs.join(", ") })} data-testid="lockdown-note">
      {t("publishing.composer.lockdownNote", { channels: locked.channels.map((c) => at(c.handle)).join(", ") })}
    </Alert>
  );
}
