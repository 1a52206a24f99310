import { and, eq } from "drizzle-orm";
import { channels } from "../../src/server/domains/channels/channels.schema";
import { mentions } from "../../src/server/domains/listening/listening.schema";
import { storeMatches, type MatchedPost } from "../../src/server/domains/listening/pipeline/store-matches";
import type { DatabaseKind } from "./databases";
import { buildWorkspace } from "./factories";
import { createTestServices, testClock, type TestServices } from "./services";

/** What listening tests start from: services on a fresh database (the clock at `now`, the test clock's start when not given) and the brand "Emberoak". */
export async function listeningTestWorkspace(kind: DatabaseKind, now?: Date) {
  const services: TestServices = await createTestServices(kind, {}, testClock(now));
  const { workspace } = await buildWorkspace(services, "Emberoak");
  return { services, workspaceId: workspace.id };
}

/** The brand's own Sandbox account, @emberoak "Emberoak Coffee": the account impostors imitate. Returns its channel id. */
export async function insertBrandAccount(services: TestServices, workspaceId: string) {
  const [channel] = await services.database.db
    .insert(channels)
    .values({ workspaceId, network: "sandbox", networkAccountId: "acct-1", handle: "@emberoak", displayName: "Emberoak Coffee", credentials: services.secrets.seal("{}") })
    .returning();
  return channel.id;
}

/** A post as the pipeline's last step hands it over: a Sandbox post in neutral English from no source and in no stream, but for what `fields` says. */
export function matchedPost(workspaceId: string, fields: Pick<MatchedPost, "networkPostId" | "authorHandle" | "text" | "fingerprint" | "postedAt"> & Partial<MatchedPost>): MatchedPost {
  return {
    workspaceId,
    sourceId: null,
    network: "sandbox",
    url: null,
    authorName: null,
    lang: "en",
    langSource: "detected",
    sentiment: "neutral",
    sentimentScore: 0.5,
    nearDuplicate: false,
    receivedAt: fields.postedAt,
    streamIds: [],
    ...fields,
  };
}

/**
 * Stores posts as the pipeline does (mentions, matches and minute counts in one batch), stamped as stored when they
 * were received: the database stamps its own now, which a test's fixed clock does not follow.
 */
export async function storeMentionsAt(services: TestServices, posts: MatchedPost[]) {
  await storeMatches(services.database.db, posts);
  for (const post of posts) {
    await services.database.db.update(mentions).set({ storedAt: post.receivedAt }).where(and(eq(mentions.workspaceId, post.workspaceId), eq(mentions.networkPostId, post.networkPostId)));
  }
}
