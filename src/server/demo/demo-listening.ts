import { sql } from "drizzle-orm";
import { unsafeSystemCtx, type Services } from "../context";
import { listChannels } from "../domains/channels";
import { createStream } from "../domains/listening";
import { addSource } from "../domains/listening/sources";

/**
 * The demo brand's listening: the Sandbox's live stream through the brand's main channel, and streams a listening
 * analyst at Ember & Oak would keep — the brand and its handles, German and Persian conversation, and complaints
 * (with the batch number and "recall" as critical terms). Playing a Sandbox scenario (Settings → Sandbox) makes
 * mentions arrive within seconds while the worker runs. The streams start with four weeks of ordinary volume
 * (`demoHistory`), so the viral complaint scenario stands out as a spike on the brand stream when the judging job runs.
 */
export const DEMO_STREAMS = [
  { name: "Ember & Oak", query: 'emberoak OR @emberoak OR @emberoak_de OR @emberoak_support OR #emberoak OR "ember & oak"' },
  { name: "Deutsch · فارسی", query: "(emberoak OR @emberoak OR @emberoak_de OR @emberoak_support OR امبراوک) (lang:de OR lang:fa)" },
  {
    name: "Complaints",
    query:
      '(emberoak OR @emberoak OR @emberoak_de OR @emberoak_support) (mould* OR mold* OR refund OR broken OR "double charge" OR scam OR Schimmel OR Abbuchung OR kaputt OR نگران‌کننده OR شکایت)',
    criticalTerms: ["HB-0923", "recall"],
    spikeSensitivity: "high" as const,
  },
];

/** How many weeks of ordinary minute counts the demo's streams start with (the spike baseline looks four weeks back). */
export const DEMO_HISTORY_WEEKS = 4;
/** Each demo stream's share of the brand stream's ordinary volume (same order as `DEMO_STREAMS`). */
const HISTORY_SCALE = [1, 0.2, 0.12];

/** The brand stream's usual mentions per hour by hour of the day (UTC): quiet nights, busy mornings and evenings. */
const HOURLY = [0.4, 0.3, 0.2, 0.2, 0.3, 0.6, 1.5, 3, 4.5, 5, 5, 4.5, 5, 4.5, 4, 4, 4.5, 5, 5.5, 5, 4, 3, 2, 1];

/**
 * Ordinary minute counts for the last `DEMO_HISTORY_WEEKS` weeks before `now`: low volume (a handful of mentions an
 * hour), shaped by the hour of the week (nights and weekends quieter), about one in eight negative. Deterministic: a
 * minute has a mention when a hash of the minute and the stream falls under that hour's rate, so the same `now` gives
 * the same history. These give the spike detection its hour-of-week baseline, so a Sandbox scenario played in the
 * demo stands out the way a real one would.
 */
export function demoHistory(streamIds: string[], now: Date): Array<{ streamId: string; minute: Date; total: number; negative: number; neutral: number; positive: number }> {
  const rows = [];
  const end = Math.floor(now.getTime() / 60_000);
  const start = end - DEMO_HISTORY_WEEKS * 7 * 24 * 60;
  for (const [s, streamId] of streamIds.entries()) {
    const scale = HISTORY_SCALE[s] ?? 0.1;
    for (let m = start; m < end; m++) {
      const at = new Date(m * 60_000);
      const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
      const perMinute = (HOURLY[at.getUTCHours()] * scale * (weekend ? 0.7 : 1)) / 60;
      const h = hash(m, s);
      if (h >= perMinute) continue;
      const negative = hash(m, s + 101) < 0.12 ? 1 : 0;
      const positive = !negative && hash(m, s + 202) < 0.35 ? 1 : 0;
      rows.push({ streamId, minute: at, total: 1, negative, neutral: 1 - negative - positive, positive });
    }
  }
  return rows;
}

/** A number in [0, 1) from a minute and a salt (integer mixing, the same on every machine). */
function hash(minute: number, salt: number): number {
  let x = (minute ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

export async function seedDemoListening(services: Services, workspaceId: string): Promise<void> {
  const ctx = unsafeSystemCtx(services, "demo", workspaceId);
  const main = (await listChannels(ctx)).find((c) => c.network === "sandbox" && c.handle === "emberoak");
  if (main) await addSource(ctx, { kind: "network_stream", channelId: main.id, name: "Sandbox · @emberoak" });
  const streamIds = [];
  for (const stream of DEMO_STREAMS) streamIds.push((await createStream(ctx, stream)).id);
  // One statement for the whole history (a few thousand rows), so seeding stays fast on PGlite.
  const rows = demoHistory(streamIds, services.clock());
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
  await services.database.db.execute(sql`
    insert into stream_minute_counts (stream_id, minute, total, negative, neutral, positive)
    select * from unnest(${column((r) => r.streamId)}::uuid[], ${column((r) => r.minute.toISOString())}::timestamptz[],
      ${column((r) => r.total)}::int[], ${column((r) => r.negative)}::int[], ${column((r) => r.neutral)}::int[], ${column((r) => r.positive)}::int[])
    on conflict (stream_id, minute) do nothing`);
}
