import type { Agent, AppBskyNotificationListNotifications, ChatBskyConvoDefs } from "@atproto/api";
import type { InboxItem, InboxItemKind, Page } from "../types";
import { classifyChatFailure } from "./failures";

/** Notification reasons that become inbox items, and the kind each becomes (follows etc. are not inbox items). */
const KIND_OF_REASON: Record<string, InboxItemKind> = { mention: "mention", reply: "reply", quote: "quote", like: "reaction", repost: "repost" };
export const INBOX_REASONS = Object.keys(KIND_OF_REASON);
const INBOX_PAGE_SIZE = 50;
/** How far back a read goes: pages of notifications, conversations, and messages per conversation. */
const MAX_PAGES = 10;

/**
 * Where a source of the inbox was read up to: the newest time returned (ms) and the ids returned at that very
 * time, so the next read starts after them without skipping another item of the same millisecond.
 */
type Mark = { at: number; ids: string[] };
/** The opaque inbox cursor: one mark for notifications, one for direct messages. */
type InboxCursor = { notifications: Mark | null; messages: Mark | null };

type Timed = { item: InboxItem; at: number; source: keyof InboxCursor };

export function decodeInboxCursor(cursor: string | null): InboxCursor {
  if (!cursor) return { notifications: null, messages: null };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as InboxCursor;
    return { notifications: parsed.notifications ?? null, messages: parsed.messages ?? null };
  } catch {
    // A cursor we did not write (or from an older format): start again; callers drop repeats by id.
    return { notifications: null, messages: null };
  }
}

const encodeInboxCursor = (cursor: InboxCursor) => Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");

/** Already returned under `mark` (or older than it). */
const seen = (mark: Mark | null, at: number, id: string) => mark !== null && (at < mark.at || (at === mark.at && mark.ids.includes(id)));
/** Older than everything the mark covers: the newest-first listing can stop here. */
const older = (mark: Mark | null, at: number) => mark !== null && at < mark.at;

export type InboxSources = {
  did: string;
  agent: Agent;
  /** The same agent, proxied to the chat service; null when direct messages are not read. */
  chat: Agent | null;
  postUrl(uri: string): string | null;
};

/** New notifications and direct messages since `cursor`, merged oldest first, at most a page of them. */
export async function readInbox(sources: InboxSources, cursor: string | null): Promise<Page<InboxItem>> {
  const marks = decodeInboxCursor(cursor);
  const [notifications, messages] = await Promise.all([
    newNotifications(sources, marks.notifications),
    sources.chat
      ? newMessages(sources, sources.chat, marks.messages).catch((error: unknown) => {
          throw classifyChatFailure(error, "read");
        })
      : Promise.resolve([]),
  ]);
  const page = [...notifications, ...messages]
    .sort((a, b) => a.at - b.at || a.item.networkItemId.localeCompare(b.item.networkItemId))
    .slice(0, INBOX_PAGE_SIZE);
  const next: InboxCursor = {
    notifications: advance(marks.notifications, page.filter((entry) => entry.source === "notifications")),
    messages: advance(marks.messages, page.filter((entry) => entry.source === "messages")),
  };
  return { items: page.map((entry) => entry.item), cursor: encodeInboxCursor(next) };
}

/** The mark after returning `returned` (oldest first) from a source. */
function advance(mark: Mark | null, returned: Timed[]): Mark | null {
  const last = returned.at(-1);
  if (!last) return mark;
  const atLast = returned.filter((entry) => entry.at === last.at).map((entry) => entry.item.networkItemId);
  return { at: last.at, ids: mark?.at === last.at ? [...mark.ids, ...atLast] : atLast };
}

async function newNotifications(sources: InboxSources, mark: Mark | null): Promise<Timed[]> {
  const found: Timed[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const { data } = await sources.agent.app.bsky.notification.listNotifications({ limit: 100, cursor, reasons: INBOX_REASONS });
    for (const notification of data.notifications) {
      const at = Date.parse(notification.indexedAt);
      const item = notificationItem(notification, sources.postUrl);
      if (item && !seen(mark, at, item.networkItemId)) found.push({ item, at, source: "notifications" });
    }
    // Newest first: once a page reaches back past the mark, everything after it was returned before.
    const last = data.notifications.at(-1);
    if (!data.cursor || !last || older(mark, Date.parse(last.indexedAt))) break;
    cursor = data.cursor;
  }
  return found;
}

type PostRecord = { text?: unknown; createdAt?: unknown; reply?: { parent?: { uri?: unknown } }; embed?: { $type?: unknown; record?: { uri?: unknown; record?: { uri?: unknown } } } };

/** The brand's post a quote embeds (a plain record embed, or a record with media). */
function quotedUri(record: PostRecord): string | null {
  const embed = record.embed;
  const uri = embed?.$type === "app.bsky.embed.recordWithMedia" ? embed.record?.record?.uri : embed?.record?.uri;
  return typeof uri === "string" ? uri : null;
}

function notificationItem(notification: AppBskyNotificationListNotifications.Notification, postUrl: (uri: string) => string | null): InboxItem | null {
  const kind = KIND_OF_REASON[notification.reason];
  if (!kind) return null;
  const record = notification.record as PostRecord;
  const isPost = kind === "mention" || kind === "reply" || kind === "quote";
  const parent = typeof record.reply?.parent?.uri === "string" ? record.reply.parent.uri : null;
  const inReplyTo = kind === "reply" ? parent : kind === "quote" ? quotedUri(record) : isPost ? null : (notification.reasonSubject ?? null);
  return {
    networkItemId: notification.uri,
    kind,
    author: { networkAccountId: notification.author.did, handle: notification.author.handle, displayName: notification.author.displayName || notification.author.handle },
    text: isPost && typeof record.text === "string" ? record.text : "",
    inReplyTo,
    conversationId: null,
    reaction: kind === "reaction" ? "like" : null,
    createdAt: typeof record.createdAt === "string" ? record.createdAt : notification.indexedAt,
    url: postUrl(isPost ? notification.uri : (notification.reasonSubject ?? notification.uri)),
  };
}

async function newMessages(sources: InboxSources, chat: Agent, mark: Mark | null): Promise<Timed[]> {
  const found: Timed[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const { data } = await chat.chat.bsky.convo.listConvos({ limit: 100, cursor });
    for (const convo of data.convos) {
      const last = convo.lastMessage as ChatBskyConvoDefs.MessageView | undefined;
      if (!last?.sentAt || older(mark, Date.parse(last.sentAt))) continue;
      found.push(...(await newMessagesIn(sources, chat, convo, mark)));
    }
    // Conversations come most recently active first: stop once one had nothing newer than the mark.
    const quiet = data.convos.at(-1)?.lastMessage as ChatBskyConvoDefs.MessageView | undefined;
    if (!data.cursor || !quiet?.sentAt || older(mark, Date.parse(quiet.sentAt))) break;
    cursor = data.cursor;
  }
  return found;
}

async function newMessagesIn(sources: InboxSources, chat: Agent, convo: ChatBskyConvoDefs.ConvoView, mark: Mark | null): Promise<Timed[]> {
  const found: Timed[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const { data } = await chat.chat.bsky.convo.getMessages({ convoId: convo.id, limit: 100, cursor });
    let reachedMark = false;
    for (const entry of data.messages) {
      // Deleted messages and system messages are not inbox items; neither are the brand's own.
      if (entry.$type !== "chat.bsky.convo.defs#messageView") continue;
      const message = entry as ChatBskyConvoDefs.MessageView;
      const at = Date.parse(message.sentAt);
      if (older(mark, at)) reachedMark = true;
      if (message.sender.did === sources.did || seen(mark, at, message.id)) continue;
      const sender = convo.members.find((member) => member.did === message.sender.did);
      const handle = sender?.handle ?? message.sender.did;
      found.push({
        at,
        source: "messages",
        item: {
          networkItemId: message.id,
          kind: "direct_message",
          author: { networkAccountId: message.sender.did, handle, displayName: sender?.displayName || handle },
          text: message.text,
          inReplyTo: null,
          conversationId: convo.id,
          reaction: null,
          createdAt: message.sentAt,
          url: null,
        },
      });
    }
    if (reachedMark || !data.cursor) break;
    cursor = data.cursor;
  }
  return found;
}
