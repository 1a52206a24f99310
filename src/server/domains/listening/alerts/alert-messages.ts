import { Webhook } from "standardwebhooks";

/** An alert as destinations outside Parapet see it: what happened, the evidence in short, and the link to it. */
export type AlertMessage = {
  id: string;
  /** `test`: a destination's test message ("send a test" in the settings). */
  kind: "spike" | "negative_turn" | "keyword" | "impostor" | "test";
  workspace: string;
  stream: string | null;
  title: string;
  /** Short evidence lines ("112 mentions in 15 minutes, usually 9"); already in the reader's language. */
  facts: string[];
  raisedAt: Date;
  link: string;
};

/** What Slack and Teams show of any message (an alert, a crisis notice): a heading, short lines, and the link to open. */
export type CardMessage = { workspace: string; title: string; facts: string[]; link: string };

/** A Slack incoming-webhook body: a fallback text and Block Kit blocks (Mattermost and Rocket.Chat read the same). */
export function slackBody(alert: CardMessage) {
  const heading = `${alert.workspace}: ${alert.title}`;
  return {
    text: `${heading} — ${alert.link}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: heading.slice(0, 150) } },
      ...(alert.facts.length ? [{ type: "section", text: { type: "mrkdwn", text: alert.facts.map((f) => `• ${escapeSlack(f)}`).join("\n") } }] : []),
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in Parapet" }, url: alert.link }] },
    ],
  };
}

/** A Microsoft Teams incoming-webhook body (Workflows "post to a channel when a webhook request is received"): an Adaptive Card. */
export function teamsBody(alert: CardMessage) {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", size: "Medium", weight: "Bolder", wrap: true, text: `${alert.workspace}: ${alert.title}` },
            ...alert.facts.map((fact) => ({ type: "TextBlock", wrap: true, spacing: "Small", text: `- ${fact}` })),
          ],
          actions: [{ type: "Action.OpenUrl", title: "Open in Parapet", url: alert.link }],
        },
      },
    ],
  };
}

/** The generic webhook's JSON body: the alert's fields as they are, for the receiver's own code. */
export function webhookBody(alert: AlertMessage) {
  return { type: `listening.alert.${alert.kind}`, timestamp: alert.raisedAt.toISOString(), data: { ...alert, raisedAt: alert.raisedAt.toISOString() } };
}

/**
 * Headers of a signed generic webhook, per Standard Webhooks (standardwebhooks.com): `webhook-id` (the same on every
 * retry, so the receiver can drop repeats), `webhook-timestamp`, `webhook-signature` (HMAC-SHA256 of id, timestamp
 * and body with the destination's secret).
 */
export function signedHeaders(secret: string, messageId: string, sentAt: Date, body: string): Record<string, string> {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, sentAt, body),
  };
}

const escapeSlack = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
