import { unsafeSystemCtx, type Services } from "../context";
import { listChannels } from "../domains/channels";
import { createStream } from "../domains/listening";
import { addSource } from "../domains/listening/sources";

/**
 * The demo brand's listening: the Sandbox's live stream through the brand's main channel, and streams a listening
 * analyst at Ember & Oak would keep — the brand and its handles, German and Persian conversation, and complaints
 * (with the batch number and "recall" as critical terms). Playing a Sandbox scenario (Settings → Sandbox) makes
 * mentions arrive within seconds while the worker runs.
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

export async function seedDemoListening(services: Services, workspaceId: string): Promise<void> {
  const ctx = unsafeSystemCtx(services, "demo", workspaceId);
  const main = (await listChannels(ctx)).find((c) => c.network === "sandbox" && c.handle === "emberoak");
  if (main) await addSource(ctx, { kind: "network_stream", channelId: main.id, name: "Sandbox · @emberoak" });
  for (const stream of DEMO_STREAMS) await createStream(ctx, stream);
}
