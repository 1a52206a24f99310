import { withActor, unsafeSystemCtx, type Services } from "../context";
import type { Role } from "../../contracts/roles";
import { findUserByEmail } from "../domains/identity";
import { listChannels } from "../domains/channels";
import { cancelPost, createPost } from "../domains/publishing";

/**
 * The demo's posts, written by its people themselves so authorship and levels are real: the social media manager's
 * scheduled posts (one for the brand's two accounts with a German variant, one due now that the worker publishes on
 * the Sandbox within seconds of starting), the intern's draft and the intern's post waiting for approval (Approval
 * required: scheduling submits it; the manager, admins and owner find it under "waiting for me"), and a cancelled sale
 * announcement.
 */
export async function seedDemoPosts(services: Services, workspaceId: string): Promise<void> {
  const domain = services.config.demo.email.split("@")[1];
  const system = unsafeSystemCtx(services, "demo", workspaceId);
  const channels = await listChannels(system);
  const channel = (handle: string) => channels.find((c) => c.handle === handle)!.id;
  const as = async (local: string, role: Role) => {
    const user = (await findUserByEmail(services.database.db, `${local}@${domain}`))!;
    return withActor(system, { type: "user", userId: user.id, email: user.email, name: user.name, role, via: "session" }, workspaceId);
  };
  const now = services.clock().getTime();
  const tomorrowNine = new Date(now + 86_400_000);
  tomorrowNine.setUTCHours(9, 0, 0, 0);

  const sofia = await as("sofia", "manager");
  await createPost(sofia, {
    text: "Our Huila single origin is back: notes of red apple, panela and cocoa. Roasted this week, shipped within 24 hours. ☕",
    channels: [{ channelId: channel("emberoak") }, { channelId: channel("emberoak_de"), text: "Unser Huila Single Origin ist zurück: Noten von rotem Apfel, Panela und Kakao. Diese Woche geröstet, Versand in 24 Stunden. ☕" }],
    scheduledAt: tomorrowNine.toISOString(),
  });
  await createPost(sofia, { text: "Good morning! Fresh roast day at the roastery: what are you brewing today?", channels: [{ channelId: channel("emberoak") }], scheduledAt: new Date(now).toISOString() });
  const jan = await as("jan", "member");
  await createPost(jan, { text: "Latte art contest! Send us your best pour before Friday and win a bag of our Ethiopian Guji. #EmberOakLatteArt", channels: [{ channelId: channel("emberoak") }] });
  await createPost(jan, {
    text: "Cupping Saturday at the roastery, 10:00: taste three new harvests with our roasters. Free, no booking needed.",
    channels: [{ channelId: channel("emberoak") }],
    scheduledAt: new Date(tomorrowNine.getTime() + 2 * 86_400_000).toISOString(),
  });
  const amir = await as("amir", "admin");
  const sale = await createPost(amir, { text: "BLACK FRIDAY: 50% off everything, today only!", channels: [{ channelId: channel("emberoak") }, { channelId: channel("emberoak_de") }], scheduledAt: new Date(now + 3 * 86_400_000).toISOString() });
  await cancelPost(amir, { postId: sale.id });
}
