import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LOCALES } from "../../contracts/roles";
import { createApp } from "../http/app";
import { mailOutbox } from "./mail.schema";
import { mailMessages } from "./messages";
import { describeEachDatabase } from "../../../test/support/databases";
import { buildUser, buildWorkspace, signedInClient } from "../../../test/support/factories";
import { httpClient } from "../../../test/support/http";
import { createTestServices, type TestServices } from "../../../test/support/services";

it("has every mail in every language of the web app, each with its link", () => {
  for (const locale of LOCALES) {
    const messages = mailMessages(locale);
    const reset = messages.passwordReset({ name: "Ana", link: "https://x.test/reset?token=T", minutes: 60 });
    const invitation = messages.invitation({ inviter: "Bo", workspace: "Brand", role: messages.roles.admin, link: "https://x.test/invitation?token=T", days: 7 });
    for (const mail of [reset, invitation]) {
      expect(mail.subject.length, locale).toBeGreaterThan(5);
      expect(mail.text, locale).toMatch(/\n\nhttps:\/\/x\.test\/\w+\?token=T\n\n/);
    }
    expect(invitation.text, locale).toContain("Brand");
  }
  expect(mailMessages("xx")).toBe(mailMessages("en"));
});

describeEachDatabase("mail in the reader's language", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    app = createApp(services);
  });
  afterAll(() => services.close());
  const lastMailTo = async (to: string) =>
    (await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to)).orderBy(desc(mailOutbox.createdAt)).limit(1))[0];

  it("sends the password reset link in the language the person chose", async () => {
    const user = await buildUser(services);
    const client = await signedInClient(app, user);
    expect((await client.patch("/api/v1/me", { locale: "de" })).status).toBe(200);

    expect((await httpClient(app).post("/api/v1/auth/password-reset/request", { email: user.email })).status).toBe(202);

    const mail = await lastMailTo(user.email);
    expect(mail.subject).toBe("Ihr Parapet-Passwort zurücksetzen");
    expect(mail.text).toContain("innerhalb von 60 Minuten");
  });

  it("writes an invitation in the inviter's language, or in the one asked for", async () => {
    const { people } = await buildWorkspace(services);
    const owner = await signedInClient(app, people.owner);
    expect((await owner.patch("/api/v1/me", { locale: "nl" })).status).toBe(200);

    expect((await owner.post("/api/v1/workspace/invitations", { email: "nieuw@example.test", role: "manager" })).status).toBe(200);
    expect((await owner.post("/api/v1/workspace/invitations", { email: "tazeh@example.test", role: "admin", locale: "fa" })).status).toBe(200);

    const dutch = await lastMailTo("nieuw@example.test");
    expect(dutch.subject).toMatch(/^Je bent uitgenodigd voor /);
    expect(dutch.text).toContain("als manager");
    const persian = await lastMailTo("tazeh@example.test");
    expect(persian.subject).toMatch(/^دعوت به /);
    expect(persian.text).toContain("با نقش مدیر سیستم");
  });
});
