import { z } from "zod";
import { ChannelLevel, Role, TokenScope } from "../../contracts/roles";

/**
 * Every audit event Parapet writes, as a typed union: `<domain>.<past tense>` with its data.
 * Adding a command that changes something means adding its event here.
 */
const event = <T extends string, D extends z.ZodRawShape>(type: T, data: D) =>
  z.object({ type: z.literal(type), data: z.object(data).strict() });

const id = z.string();
const ConnectedVia = z.enum(["form", "oauth", "reconnect_link"]);
export const AuditEvent = z.discriminatedUnion("type", [
  event("user.created", { userId: id, email: z.string(), via: z.enum(["cli", "invitation", "demo"]) }),
  event("user.signed_in", { userId: id, mfa: z.boolean() }),
  event("user.sign_in_failed", { email: z.string(), reason: z.enum(["unknown_email", "wrong_password", "locked", "disabled", "sso_required"]) }),
  event("user.locked_out", { userId: id, until: z.string() }),
  event("user.signed_out", { userId: id, sessionId: id }),
  event("user.profile_updated", { userId: id, before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) }),
  event("user.password_changed", { userId: id, sessionsEnded: z.number() }),
  event("session.revoked", { userId: id, sessionIds: z.array(id) }),
  event("mfa.challenge_passed", { userId: id, method: z.enum(["totp", "recovery_code", "passkey"]), recoveryCodesLeft: z.number().optional(), passkeyId: id.optional() }),
  event("mfa.challenge_failed", { userId: id }),
  event("mfa.enrolment_started", { userId: id }),
  event("mfa.enrolled", { userId: id }),
  event("mfa.disabled", { userId: id }),
  event("mfa.recovery_codes_regenerated", { userId: id }),
  event("passkey.registered", { userId: id, passkeyId: id, name: z.string(), recoveryCodesIssued: z.boolean().optional() }),
  event("passkey.removed", { userId: id, passkeyId: id, name: z.string(), confirmedWith: z.enum(["password", "totp", "passkey"]) }),
  event("passkey.signed_in", { userId: id, passkeyId: id }),
  event("passkey.sign_in_failed", { reason: z.enum(["unknown_passkey", "refused", "locked", "disabled", "sso_required"]), userId: id.optional(), passkeyId: id.optional() }),
  event("password_reset.requested", { userId: id }),
  event("password_reset.completed", { userId: id, sessionsEnded: z.number() }),
  event("workspace.created", { workspaceId: id, name: z.string() }),
  event("workspace.updated", { before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) }),
  event("invitation.created", { invitationId: id, email: z.string(), role: Role, teamIds: z.array(id) }),
  event("invitation.revoked", { invitationId: id, email: z.string() }),
  event("invitation.accepted", { invitationId: id, userId: id, role: Role }),
  event("member.role_changed", { userId: id, from: Role, to: Role }),
  event("member.device_secured", { userId: id, sessionsEnded: z.number(), tokensRevoked: z.number(), mfaReenrolmentRequired: z.boolean(), authenticatorAppRemoved: z.boolean(), passkeysRemoved: z.number() }),
  event("member.removed", { userId: id, role: Role, sessionsEnded: z.number(), tokensRevoked: z.number(), channelGrantsRemoved: z.number().optional(), teamsLeft: z.number().optional(), postsHeld: z.number().optional(), postsHandedOver: z.number().optional(), approvalsReassigned: z.number().optional(), approvalsDropped: z.number().optional(), reason: z.enum(["partner_access_ended", "deprovisioned"]).optional() }),
  event("member.partner_access_set", { userId: id, before: z.object({ organization: z.string().nullable(), endsAt: z.string().nullable() }), after: z.object({ organization: z.string().nullable(), endsAt: z.string().nullable() }) }),
  event("team.created", { teamId: id, name: z.string() }),
  event("team.updated", { teamId: id, before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) }),
  event("team.deleted", { teamId: id, name: z.string() }),
  event("team.member_added", { teamId: id, userId: id }),
  event("team.member_removed", { teamId: id, userId: id }),
  event("api_token.created", { tokenId: id, name: z.string(), scopes: z.array(TokenScope), expiresAt: z.string().nullable(), via: z.enum(["account", "cli"]).optional() }),
  event("api_token.revoked", { tokenId: id, name: z.string() }),
  event("audit.exported", { format: z.enum(["csv"]), rows: z.number() }),
  event("demo.seeded", { workspaceId: id }),
  event("channel.connected", { channelId: id, network: z.string(), handle: z.string(), networkAccountId: z.string(), via: ConnectedVia.optional() }),
  event("channel.reconnected", { channelId: id, network: z.string(), handle: z.string(), via: ConnectedVia.optional() }),
  event("channel.reconnect_link_created", { channelId: id, linkId: id, sentTo: z.string().nullable(), expiresAt: z.string() }),
  event("channel.reconnect_link_revoked", { channelId: id, linkId: id }),
  event("channel_access.changed", {
    changes: z.array(z.object({ channelId: id, subject: z.object({ type: z.enum(["user", "team"]), id }), from: ChannelLevel, to: ChannelLevel })),
  }),
  event("channel.verified", { channelId: id, statusBefore: z.string(), handleBefore: z.string(), handle: z.string() }),
  event("channel.refreshed", { channelId: id, expiresAt: z.string().nullable() }),
  event("channel.marked_needs_reconnect", { channelId: id, reason: z.string() }),
  event("channel.disconnected", { channelId: id, network: z.string(), handle: z.string(), revokedAtNetwork: z.enum(["revoked", "not_supported", "failed"]) }),
  event("sso.configured", { providerId: id, before: z.record(z.string(), z.unknown()).nullable(), after: z.record(z.string(), z.unknown()), clientSecretChanged: z.boolean() }),
  event("sso.removed", { providerId: id, issuer: z.string() }),
  event("sso.signed_in", { userId: id, providerId: id, issuer: z.string() }),
  event("sso.sign_in_failed", { providerId: id, issuer: z.string(), email: z.string().nullable(), reason: z.enum(["email_not_allowed", "not_a_member", "disabled", "attempt_invalid", "response_invalid", "replayed", "unsolicited", "provider_refused", "name_id_transient"]) }),
  event("sso.user_provisioned", { userId: id, email: z.string(), role: Role, teamIds: z.array(id), newAccount: z.boolean() }),
  event("sso.identity_linked", { userId: id, issuer: z.string(), subject: z.string() }),
  event("scim.token_created", { tokenId: id, name: z.string() }),
  event("scim.token_revoked", { tokenId: id, name: z.string() }),
  event("scim.user_provisioned", { userId: id, email: z.string(), role: Role, newAccount: z.boolean(), reactivated: z.boolean() }),
  event("scim.user_updated", { userId: id, before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) }),
  event("scim.user_deleted", { userId: id, userName: z.string() }),
  event("scim.group_linked", { teamId: id, externalId: z.string().nullable() }),
  event("access_review.exported", { format: z.enum(["csv", "pdf"]), people: z.number() }),
  event("access_review.signed_off", { signOffId: id, quarter: z.string(), contentHash: z.string(), note: z.string().nullable(), summary: z.record(z.string(), z.number()) }),
  event("access_review.reminder_sent", { quarter: z.string(), recipients: z.number() }),
  event("keys.rotated", { keyId: z.string(), newKey: z.boolean(), resealed: z.record(z.string(), z.number()), total: z.number() }),
  event("sandbox.scenario_started", { runId: id, scenario: z.string(), tickEverySeconds: z.number() }),
  event("sandbox.scenario_stopped", { runId: id, scenario: z.string(), ticksPlayed: z.number() }),
  event("media.uploaded", { mediaId: id, mimeType: z.string(), byteSize: z.number(), sha256: z.string() }),
  event("post.created", { postId: id, channelIds: z.array(id), scheduledAt: z.string().nullable() }),
  event("post.updated", { postId: id, version: z.number(), channelIds: z.array(id), scheduledAt: z.string().nullable() }),
  event("post.rescheduled", { postId: id, from: z.string().nullable(), to: z.string(), version: z.number(), state: z.string() }),
  event("post.cancelled", { postId: id, targetsCancelled: z.number() }),
  event("post.released", { postId: id, targetId: id, action: z.enum(["publish_now", "reschedule"]), at: z.string() }),
  event("post.published", { postId: id, targetId: id, networkPostId: z.string(), url: z.string().nullable(), reconciled: z.boolean() }),
  event("post.publish_failed", { postId: id, targetId: id, kind: z.string(), message: z.string() }),
  event("post.taken_down", { postId: id, targetId: id, networkPostId: z.string(), reason: z.string() }),
  event("post.submitted", { postId: id, runId: id, version: z.number(), contentHash: z.string(), steps: z.number() }),
  event("post.approved", { postId: id, runId: id, step: z.number(), version: z.number(), contentHash: z.string(), comment: z.string().nullable(), external: z.string().optional() }),
  event("post.rejected", { postId: id, runId: id, step: z.number(), version: z.number(), contentHash: z.string(), comment: z.string().nullable(), external: z.string().optional() }),
  event("post.approval_expired", { postId: id, runId: id.nullable(), scheduledAt: z.string() }),
  event("post.external_link_sent", { postId: id, runId: id, step: z.number(), slot: z.number(), email: z.string(), expiresAt: z.string() }),
  event("post.external_link_opened", { postId: id, runId: id, step: z.number(), slot: z.number(), email: z.string() }),
  event("post.external_link_revoked", { postId: id, runId: id, step: z.number(), slot: z.number(), email: z.string() }),
  event("approval_workflow.created", { workflowId: id, name: z.string(), steps: z.array(z.unknown()), channelIds: z.array(id) }),
  event("approval_workflow.updated", { workflowId: id, before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) }),
  event("approval_workflow.deleted", { workflowId: id, name: z.string() }),
  event("publishing.paused", { pauseId: id, channelIds: z.array(id).nullable(), reason: z.string(), held: z.number() }),
  event("publishing.resumed", { pauseId: id, stillHeld: z.number() }),
  event("sandbox.scenario_tick_played", { runId: id, scenario: z.string(), ticksPlayed: z.number(), added: z.number() }),
]);
export type AuditEvent = z.infer<typeof AuditEvent>;
export type AuditEventType = AuditEvent["type"];
export const AUDIT_EVENT_TYPES = AuditEvent.options.map((o) => o.shape.type.value) as AuditEventType[];

/** What the event is about, for filtering ("target" in the UI). */
export type AuditTarget = { type: string; id: string };
