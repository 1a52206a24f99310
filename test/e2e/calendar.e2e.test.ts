import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiAs, canRunBrowser, useBrowser } from "../support/browser";

type ApiPost = { id: string; version: number; scheduledAt: string | null; state: string };

/**
 * The publishing calendar in a browser, on the demo workspace: the social media manager (sofia) drags a post to the
 * next day in the month view and it is rescheduled (a reload shows it there, the server has the new time); she
 * switches to the week and list views (the address follows); a drag of a post someone else moved meanwhile is refused
 * and rolled back with a message; "Move to…" on the post's page does the same without a mouse; clicking an empty day
 * opens the composer at that day; Persian renders right to left.
 */
describe.skipIf(!canRunBrowser)("publishing calendar in a browser", () => {
  const b = useBrowser("calendar");
  const shots = b.shots;

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  /** A day `days` from today at `hour`:00 in the browser's zone, as an instant and as the calendar's "YYYY-MM-DD". */
  const dayAhead = (page: Page, days: number, hour: number) =>
    page.evaluate(
      ([d, h]) => {
        const at = new Date();
        at.setDate(at.getDate() + d);
        at.setHours(h, 0, 0, 0);
        const pad = (n: number) => String(n).padStart(2, "0");
        return { iso: at.toISOString(), day: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`, month: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-01` };
      },
      [days, hour] as const,
    );

  /** Drags an entry onto a day of the month view with the mouse, as a person does. */
  async function drag(page: Page, postId: string, day: string) {
    const entry = page.locator(`.fc-event[data-post-id="${postId}"]`);
    const cell = page.locator(`td.fc-daygrid-day[data-date="${day}"]`);
    await entry.scrollIntoViewIfNeeded();
    const from = (await entry.boundingBox())!;
    const to = (await cell.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 5, from.y + from.height / 2 + 5, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height - 12, { steps: 12 });
    await page.mouse.up();
  }

  const dayOfEntry = (page: Page, postId: string) => page.locator(`.fc-event[data-post-id="${postId}"]`).evaluate((el) => el.closest("td.fc-daygrid-day")?.getAttribute("data-date"));

  it("drags a post to the next day and it is rescheduled (and stays so after a reload); switches views and drags in the week; a refused move is rolled back", async () => {
    const sofia = await b.signedIn({ email: b.demoPerson("sofia"), next: "/publishing" });
    const channels = (await apiAs<{ channels: Array<{ id: string; handle: string }> }>(sofia, "GET", "/channels")).body.channels;
    const emberoak = channels.find((c) => c.handle === "emberoak")!.id;
    const when = await dayAhead(sofia, 3, 10);
    const next = await dayAhead(sofia, 4, 10);
    const created = await apiAs(sofia, "POST", "/posts", { text: `Calendar drag ${Date.now()}: a new espresso blend`, channels: [{ channelId: emberoak }], scheduledAt: when.iso });
    expect(created.status).toBe(200);
    const post = created.body;

    // Reachable from the posts list.
    await sofia.getByRole("link", { name: "Calendar" }).first().click();
    await sofia.waitForURL((url) => url.pathname === "/publishing/calendar");
    await sofia.getByText(/^Times are in your time zone/).waitFor();
    await sofia.goto(`${b.server.url}/publishing/calendar?view=month&date=${when.month}`);
    const entry = sofia.locator(`.fc-event[data-post-id="${post.id}"]`);
    await entry.waitFor();
    expect(await dayOfEntry(sofia, post.id)).toBe(when.day);
    await expect.poll(() => entry.getAttribute("aria-label")).toMatch(/^\W*Scheduled\W*, .+, \W*@emberoak\W*: \W*Calendar drag/);
    await sofia.getByText("What the colours mean").waitFor();
    await noSeriousViolations(sofia);
    if (shots) await sofia.screenshot({ path: `${shots}/calendar-month-en.png`, fullPage: true });

    // Drag it one day on: the server moves it, same time of day.
    const moved = sofia.waitForResponse((res) => res.url().endsWith(`/posts/${post.id}/reschedule`));
    await drag(sofia, post.id, next.day);
    expect((await moved).status()).toBe(200);
    await sofia.getByText(/^Moved to /).waitFor({ state: "attached" });
    const after = (await apiAs(sofia, "GET", `/posts/${post.id}`)).body;
    expect(after).toMatchObject({ scheduledAt: next.iso, version: post.version + 1, state: "scheduled" });
    await sofia.reload();
    await entry.waitFor();
    expect(await dayOfEntry(sofia, post.id)).toBe(next.day);

    // Someone else moves it meanwhile (the calendar still has the old version): the drag is refused and rolled back.
    const elsewhere = await apiAs(sofia, "POST", `/posts/${post.id}/reschedule`, { scheduledAt: new Date(new Date(next.iso).getTime() + 3_600_000).toISOString(), version: after.version });
    expect(elsewhere.status).toBe(200);
    const refused = sofia.waitForResponse((res) => res.url().endsWith(`/posts/${post.id}/reschedule`));
    await drag(sofia, post.id, when.day);
    expect((await refused).status()).toBe(409);
    const alert = sofia.getByRole("alert").filter({ hasText: "The post was not moved" });
    await alert.getByText("Someone changed this post meanwhile. Reload it to see their version.").waitFor();
    await expect.poll(() => dayOfEntry(sofia, post.id)).toBe(next.day);
    expect((await apiAs(sofia, "GET", `/posts/${post.id}`)).body.scheduledAt).toBe(elsewhere.body.scheduledAt);
    if (shots) await sofia.screenshot({ path: `${shots}/calendar-refused-en.png`, fullPage: true });

    // Week and list views; the address names the view, so a reload shows the same.
    await sofia.locator(".mantine-SegmentedControl-label", { hasText: /^Week$/ }).click();
    await sofia.waitForURL((url) => url.searchParams.get("view") === "week");
    await sofia.locator(".fc-timegrid").waitFor();
    await sofia.goto(`${b.server.url}/publishing/calendar?view=week&date=${next.day}`);
    await entry.waitFor();
    expect(await entry.evaluate((el) => Boolean(el.closest(".fc-timegrid-col")))).toBe(true);
    expect(await sofia.locator(".fc-col-header-cell").first().getAttribute("class")).toContain("fc-day-sun"); // the app's English is US English
    if (shots) await sofia.screenshot({ path: `${shots}/calendar-week-en.png`, fullPage: true });
    // In the week, dragging it two hours down moves it two hours later.
    const beforeWeek = (await apiAs(sofia, "GET", `/posts/${post.id}`)).body;
    const laneAt = (iso: string, hours: number) =>
      sofia.evaluate(([value, h]) => `${String(new Date(new Date(value).getTime() + h * 3_600_000).getHours()).padStart(2, "0")}:00:00`, [iso, hours] as const);
    const fromLane = (await sofia.locator(`td.fc-timegrid-slot-lane[data-time="${await laneAt(beforeWeek.scheduledAt!, 0)}"]`).boundingBox())!;
    const toLane = (await sofia.locator(`td.fc-timegrid-slot-lane[data-time="${await laneAt(beforeWeek.scheduledAt!, 2)}"]`).boundingBox())!;
    const box = (await entry.boundingBox())!;
    const twoHours = toLane.y - fromLane.y;
    const movedInWeek = sofia.waitForResponse((res) => res.url().endsWith(`/posts/${post.id}/reschedule`));
    // Grabbed in the second quarter hour of 11:00 (the first one holds the entry's top edge), dropped in that of 13:00.
    const quarter = twoHours / 8;
    await sofia.mouse.move(box.x + box.width / 2, fromLane.y + quarter * 1.5);
    await sofia.mouse.down();
    await sofia.mouse.move(box.x + box.width / 2 + 6, fromLane.y + quarter * 1.5, { steps: 3 });
    await sofia.mouse.move(box.x + box.width / 2, toLane.y + quarter * 1.5, { steps: 12 });
    await sofia.mouse.up();
    expect((await movedInWeek).status()).toBe(200);
    const twoHoursLater = new Date(new Date(beforeWeek.scheduledAt!).getTime() + 2 * 3_600_000).toISOString();
    await expect.poll(async () => (await apiAs(sofia, "GET", `/posts/${post.id}`)).body.scheduledAt).toBe(twoHoursLater);
    await sofia.locator(".mantine-SegmentedControl-label", { hasText: /^List$/ }).click();
    await sofia.waitForURL((url) => url.searchParams.get("view") === "list");
    await sofia.goto(`${b.server.url}/publishing/calendar?view=list&date=${next.day}`);
    await sofia.locator(".fc-list").waitFor();
    await sofia.locator(`.fc-list-event[data-post-id="${post.id}"]`).getByText(/Calendar drag/).waitFor();
    await noSeriousViolations(sofia);
    if (shots) await sofia.screenshot({ path: `${shots}/calendar-list-en.png`, fullPage: true });
    await sofia.reload();
    await sofia.locator(".fc-list").waitFor();

    // Clicking an entry opens the post; "Move to…" there moves it without a mouse.
    await sofia.locator(`.fc-list-event[data-post-id="${post.id}"]`).getByText(/Calendar drag/).click();
    await sofia.waitForURL((url) => url.pathname === `/publishing/posts/${post.id}`);
    const local = await sofia.evaluate((iso) => {
      const at = new Date(new Date(iso).getTime() + 86_400_000);
      const pad = (n: number) => String(n).padStart(2, "0");
      return { value: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`, iso: at.toISOString() };
    }, twoHoursLater);
    await sofia.getByLabel("New date and time").fill(local.value);
    await sofia.getByRole("button", { name: "Move", exact: true }).click();
    await sofia.getByText(/^Moved to /).first().waitFor();
    await expect.poll(async () => (await apiAs(sofia, "GET", `/posts/${post.id}`)).body.scheduledAt).toBe(local.iso);
    await sofia.getByText(/^\W*Sofia Greco\W* moved it from .+ to /).first().waitFor();
    await noSeriousViolations(sofia);
    if (shots) await sofia.screenshot({ path: `${shots}/calendar-move-to-en.png`, fullPage: true });

    // An empty future day opens the composer at that day, 09:00.
    const free = await dayAhead(sofia, 2, 9);
    await sofia.goto(`${b.server.url}/publishing/calendar?view=month&date=${free.month}`);
    await sofia.locator(`td.fc-daygrid-day[data-date="${free.day}"] .fc-daygrid-day-number`).waitFor();
    const cell = (await sofia.locator(`td.fc-daygrid-day[data-date="${free.day}"]`).boundingBox())!;
    await sofia.mouse.click(cell.x + cell.width / 2, cell.y + cell.height - 6);
    await sofia.waitForURL((url) => url.pathname === "/publishing/new");
    await sofia.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    expect(await sofia.getByRole("radio", { name: "Schedule for a date and time" }).isChecked()).toBe(true);
    expect(await sofia.getByLabel("Date and time", { exact: true }).inputValue()).toBe(`${free.day}T09:00`);
    // The browser writes the field its own way; the chosen time is read back in Parapet's language, its zone named.
    const [year, , day] = free.day.split("-").map(Number);
    expect(await sofia.getByTestId("date-read-back").textContent()).toMatch(new RegExp(`^[A-Z][a-z]{2} ${day}, ${year}, 09:00 AM \\S+$`));
  }, 180_000);

  it("reads right to left in Persian, with the time zone named", async () => {
    const sofia = await b.signedIn({ email: b.demoPerson("sofia"), next: "/publishing/calendar" });
    await b.setLanguage(sofia, "fa");
    await sofia.reload();
    await sofia.getByRole("heading", { name: "تقویم", level: 1 }).waitFor();
    expect(await sofia.locator(".publishing-calendar").getAttribute("dir")).toBe("rtl");
    expect(await sofia.locator(".fc").evaluate((el) => el.classList.contains("fc-direction-rtl"))).toBe(true);
    await sofia.locator(".fc-event").first().waitFor();
    await sofia.getByText("معنای رنگ‌ها").waitFor();
    await noSeriousViolations(sofia);
    if (shots) await sofia.screenshot({ path: `${shots}/calendar-month-fa.png`, fullPage: true });
    await sofia.locator(".mantine-SegmentedControl-label", { hasText: /^هفته$/ }).click();
    await sofia.locator(".fc-timegrid-col.fc-day-today").waitFor(); // the week of today, not of the month's first day
    // The Persian week starts on Saturday (as the posting queues' days do).
    expect(await sofia.locator(".fc-col-header-cell").first().getAttribute("class")).toContain("fc-day-sat");
    if (shots) await sofia.screenshot({ path: `${shots}/calendar-week-fa.png`, fullPage: true });
    await b.setLanguage(sofia, "en");
  }, 120_000);
});
