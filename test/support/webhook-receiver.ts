import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { path: string; headers: http.IncomingHttpHeaders; body: string };

/**
 * A local HTTP server standing in for Slack, Teams and a customer's webhook receiver. Each path answers the statuses
 * set in `answers` in turn (then 200); a status of 0 never answers (a timeout). Every request is kept in `received`.
 * `hold(path)` keeps the answers to a path back until the function it returns is called (a delivery in flight).
 */
export async function startWebhookReceiver() {
  const received: ReceivedRequest[] = [];
  const answers = new Map<string, number[]>();
  const holds = new Map<string, Promise<void>>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", async () => {
      received.push({ path: req.url!, headers: req.headers, body });
      await holds.get(req.url!);
      const status = (answers.get(req.url!) ?? []).shift() ?? 200;
      if (status === 0) return;
      res.writeHead(status).end(status === 200 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hold = (path: string) => {
    let release = () => {};
    holds.set(path, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      holds.delete(path);
      release();
    };
  };
  return { received, answers, hold, base, close: () => new Promise<void>((resolve) => server.closeAllConnections() ?? server.close(() => resolve())) };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
