import type { DatabaseKind } from "./databases";
import { createApp } from "../../src/server/http/app";
import { buildWorkspace, signedInClient } from "./factories";
import type { HttpClient } from "./http";
import { createTestServices, testClock, type TestServices } from "./services";

/** Who a route test signs in: a person of the brand by role, or the owner of another workspace (`outsider`). */
export type RouteTestPerson = "owner" | "admin" | "manager" | "member" | "outsider";

/**
 * What a domain's route tests start from: services on a fresh database (clock at `now`), the app, the brand
 * "Emberoak" with one person per role, a second workspace "Elsewhere" whose owner is the outsider, and an HTTP client
 * signed in for each person named in `signIn` (in that order).
 */
export async function routeTestWorkspace<P extends RouteTestPerson>(
  kind: DatabaseKind,
  signIn: readonly P[],
  options: { now?: Date; env?: Record<string, string> } = {},
) {
  const services: TestServices = await createTestServices(kind, options.env ?? {}, testClock(options.now ?? new Date()));
  const app = createApp(services);
  const ws = await buildWorkspace(services, "Emberoak");
  const other = await buildWorkspace(services, "Elsewhere");
  const as = {} as Record<P, HttpClient>;
  for (const person of signIn) as[person] = await signedInClient(app, person === "outsider" ? other.people.owner : ws.people[person as Exclude<RouteTestPerson, "outsider">]);
  return { services, app, ws, other, as };
}
