import type { AccessReview } from "../queries/build-access-review";

type Grant = AccessReview["people"][number]["access"][number]["through"][number];

/** A grant as one phrase: `role owner`, `direct`, `team "Social media"`. */
export function grantText(grant: Grant): string {
  if (grant.type === "role") return `role ${grant.role}`;
  if (grant.type === "team") return `team "${grant.teamName}"`;
  return "direct";
}

const COLUMNS = [
  "name", "email", "role", "partner_organization", "partner_access_ends_at", "mfa", "password_sign_in", "sso", "sso_only",
  "last_activity_at", "last_activity_source", "unused_90_days", "channel_network", "channel_handle", "channel_name", "level",
  "through", "overridden_grants",
] as const;

/**
 * One cell of RFC 4180 CSV. A cell a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
 * return) is prefixed with a quote, so a name like `=HYPERLINK(…)` stays text.
 */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The review as CSV: a header, then one row per person × channel (a person without any channel to list still gets
 * one row, with the channel columns empty). Column names and values are stable English codes, for spreadsheets and
 * scripts alike.
 */
export function accessReviewCsv(review: AccessReview): string {
  const rows: string[] = [COLUMNS.join(",")];
  for (const person of review.people) {
    const common = [
      person.name, person.email, person.role, person.partner?.organization ?? null, person.partner?.accessEndsAt ?? null, person.mfa,
      person.signIn.password, person.signIn.sso, person.signIn.ssoOnly, person.lastActivityAt, person.lastActivitySource, person.unused,
    ];
    const lines = person.access.length ? person.access : [null];
    for (const access of lines) {
      const channel = access ? review.channels.find((c) => c.id === access.channelId)! : null;
      const cells = [
        ...common,
        channel?.network ?? null, channel?.handle ?? null, channel?.displayName ?? null, access?.level ?? null,
        access ? access.through.map(grantText).join("; ") : null, access ? access.overridden.map((g) => `${grantText(g)}: ${g.level}`).join("; ") : null,
      ];
      rows.push(cells.map(csvCell).join(","));
    }
  }
  return rows.join("\r\n") + "\r\n";
}
