import { afterAll, beforeAll, expect, it } from "vitest";
import { createCtx, inTransaction } from "../../context";
import { createApp } from "../../http/app";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { describeEachDatabase } from "../../../../test/support/databases";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { createTestServices, testClock, type TestServices } from "../../../../test/support/services";
import { countingDatabase } from "../../../../test/support/statement-counter";
import { riskOverview } from "./queries/risk-overview";

const NOW = new Date("2026-11-23T09:00:00Z");
const HOUR = 3_600_000;

describeEachDatabase("risk overview: statements per Home load", (kind) => {
  let services: TestServices;
  let counter: ReturnType<typeof countingDatabase>;
  let owner: HttpClient;
  let member: HttpClient;
  let sandbox: string;
  let ws: Awaited<ReturnType<typeof buildWorkspace>>;

  beforeAll(async () => {
    services = await createTestServices(kind, {}, testClock(NOW));
    const app = createApp(services);
    ws = await buildWorkspace(services, "Emberoak");
    const admin = await signedInClient(app, ws.people.admin);
    member = await signedInClient(app, ws.people.member);
    await seedSandboxNetwork(services.database.db, services.clock());
    sandbox = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" })).body.id;
    // The intern's posts need approval; the owner, with Full publishing on the channel, may approve each of them.
    expect((await admin.put("/api/v1/channel-access", { changes: [{ channelId: sandbox, userId: ws.people.member.id, level: "approval_required" }] })).status).toBe(200);
    // The owner reads the overview through an app whose database handle counts every statement it sends.
    counter = countingDatabase(services.database);
    owner = await signedInClient(createApp({ ...services, database: counter.database }), ws.people.owner);
  });
  afterAll(() => services.close());

  async function submitPosts(count: number) {
    for (let i = 0; i < count; i += 1) {
      const res = await member.post("/api/v1/posts", { text: `Roastery note ${i}`, channels: [{ channelId: sandbox }], scheduledAt: new Date(NOW.getTime() + (i + 2) * HOUR).toISOString() });
      expect(res.body.state, res.text).toBe("in_review");
    }
  }

  async function statementsOf(path: string) {
    const before = counter.statements();
    const res = await owner.get(path);
    expect(res.status, res.text).toBe(200);
    return { body: res.body, statements: counter.statements() - before, sent: counter.sent.slice(before) };
  }

  it("reads as many statements with 50 posts waiting for approval as with one", async () => {
    // The session's first request records its workspace (one more statement): not part of what is compared.
    await statementsOf("/api/v1/overview");
    await submitPosts(1);
    const one = await statementsOf("/api/v1/overview");
    expect(one.body.approvals).toEqual({ waitingForMe: 1, dueSoon: 1, nextDeadline: new Date(NOW.getTime() + 2 * HOUR).toISOString() });
    const oneQueue = await statementsOf("/api/v1/approvals/waiting");
    expect(oneQueue.body.items).toHaveLength(1);

    await submitPosts(49);
    const fifty = await statementsOf("/api/v1/overview");
    // Due within the next 24 hours: the first post (2 hours ahead) and those 2 to 24 hours ahead of the 49.
    expect(fifty.body.approvals).toMatchObject({ waitingForMe: 50, dueSoon: 24 });
    expect(fifty.statements, fifty.sent.map((s) => s.slice(0, 80)).join("\n")).toBe(one.statements);
    const fiftyQueue = await statementsOf("/api/v1/approvals/waiting");
    expect(fiftyQueue.body.items).toHaveLength(50);
    expect(fiftyQueue.statements, fiftyQueue.sent.map((s) => s.slice(0, 80)).join("\n")).toBe(oneQueue.statements);
  });

  it("inside a transaction reads one statement at a time (one client: no overlapping queries), with the same figures", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const { owner: person } = ws.people;
      const ctx = createCtx(services, { actor: { type: "user", userId: person.id, email: person.email, name: person.name, role: "owner", via: "session" }, workspaceId: ws.workspace.id });
      const inside = await inTransaction(ctx, (tx) => riskOverview(tx));
      const outside = (await owner.get("/api/v1/overview")).body;
      expect(inside).toEqual(outside);
      expect(inside.approvals?.waitingForMe).toBe(50);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.includes("already executing a query"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
