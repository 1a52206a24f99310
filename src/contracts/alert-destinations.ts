import { z } from "zod";
import { AlertKind } from "./listening-alerts";

/** Where listening alerts go: email addresses, a Slack or Microsoft Teams incoming webhook, or a signed generic webhook. */

export const DESTINATION_KINDS = ["email", "slack", "teams", "webhook"] as const;
export const DestinationKind = z.enum(DESTINATION_KINDS);
export const DESTINATION_LOCALES = ["en", "de", "it", "nl", "fa"] as const;
export const DestinationLocale = z.enum(DESTINATION_LOCALES);

/** A destination as the API shows it: never its URL or secret, only the host and a hint of the end ("hooks.slack.com/…/XyZ9"). */
export const AlertDestination = z.object({
  id: z.uuid(),
  kind: DestinationKind,
  name: z.string(),
  /** Email: the addresses (not secret); Slack, Teams, webhook: host and the URL's last 4 characters. */
  targetHint: z.string(),
  /** Alert kinds sent here; empty: all. */
  kinds: z.array(AlertKind),
  locale: DestinationLocale,
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type AlertDestination = z.infer<typeof AlertDestination>;

export const CreateDestinationBody = z.object({
  kind: DestinationKind,
  name: z.string().trim().min(1).max(100),
  /** Email: addresses separated by commas, spaces or new lines; otherwise the webhook's https URL. */
  target: z.string().trim().min(1).max(2000),
  kinds: z.array(AlertKind).max(4).optional(),
  locale: DestinationLocale.optional(),
});
/** The created destination, and for a webhook its signing secret: shown this once, never again. */
export const CreatedDestination = AlertDestination.extend({ signingSecret: z.string().nullable() });

export const UpdateDestinationBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    kinds: z.array(AlertKind).max(4).optional(),
    locale: DestinationLocale.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Nothing to change" });

/** What happened to a test message: `delivered` (the receiver said 2xx), `queued` (email: in the mail outbox), or `failed` with the reason (refused or unreachable). */
export const DestinationTestOutcome = z.object({ status: z.enum(["delivered", "queued", "failed"]), error: z.string().nullable() });
export type DestinationTestOutcome = z.infer<typeof DestinationTestOutcome>;
