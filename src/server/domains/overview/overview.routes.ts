import { Overview } from "../../../contracts/overview";
import { defineRoute, may } from "../../http/access";
import { ERRORS, newRouter, ok } from "../../http/openapi-kit";
import { riskOverview } from "./queries/risk-overview";

const tags = ["Overview"];

/** The Home page's risk overview. */
export const overviewRoutes = newRouter();

overviewRoutes.openapi(
  defineRoute(may("workspace.read"), {
    method: "get", path: "/overview", tags, summary: "What needs attention now in the workspace: one section per area the caller may read",
    description:
      "Counts and a few rows, each from the area's own queries: `publishing` (pauses in force with who and since when, held posts, posts that failed or expired in review in the last `windows.recentDays`, posts going out in the next `windows.scheduledHours`; needs posts.read), `approvals` (posts waiting for my decision, how many go out within `windows.scheduledHours`; posts.read), `listening` (open alerts by kind, impostors not yet reviewed, failing and lagging sources; listening.read), `crisis` (active or stable crises, running drills, plans not ready, the last drill; crisis.read), `channels` (needing reconnect, credentials expiring within `windows.expiringDays`; channels.read, only channels the caller can read), `people` (members without a second factor, partners whose access ends within `windows.expiringDays`; members.read), `accessReview` (this quarter signed off or not; access_review.read), `apiTokens` (the caller's own tokens expiring within `windows.expiringDays`; browser sessions only). A section the caller's role or token scopes do not allow is `null`.",
    responses: { 200: ok(Overview), 401: ERRORS[401], 403: ERRORS[403] },
  }),
  async (c) => c.json(await riskOverview(c.var.ctx), 200),
);
