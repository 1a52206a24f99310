import { Hono, type Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createCtx, inTransaction, type Ctx, type Services } from "../../context";
import { consumeRateLimit } from "../../db/rate-limit";
import { AppError } from "../../errors";
import { createScimUser } from "./commands/create-scim-user";
import { updateScimUser } from "./commands/update-scim-user";
import { deleteScimUser } from "./commands/delete-scim-user";
import { createScimGroup } from "./commands/create-scim-group";
import { updateScimGroup } from "./commands/update-scim-group";
import { deleteScimGroup } from "./commands/delete-scim-group";
import { SCIM_TOKEN_PATTERN } from "./commands/create-scim-token";
import { authenticateScimToken, scimActorLabel, scimTokenStillLive } from "./queries/authenticate-scim-token";
import { getScimGroup, getScimUser, listScimGroups, listScimUsers } from "./queries/scim-resources";
import { scimBaseUrl } from "./queries/scim-settings";
import { patchOperations, type PatchOperation } from "./patch-ops";
import { resourceAsOperations } from "./user-state";
import { MAX_PAGE, URN, project, resourceTypes, schemas, serviceProviderConfig } from "./resources";
import { invalidSyntax, scimNotFound, scimTokenInvalid, scimTokenMalformed, scimTokenMissing } from "./scim.errors";

export const SCIM_PREFIX = "/scim/v2";
/** Failed SCIM sign-ins allowed per IP address per minute; past it, 429 (a token cannot be guessed, but nobody should try). */
const FAILED_AUTH_PER_MINUTE = 20;
const MAX_BODY_BYTES = 1024 * 1024;

type ScimEnv = { Variables: { services: Services; ctx: Ctx; scimTokenId: string; requestId: string } };

const SCIM_JSON = "application/scim+json; charset=utf-8";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Answers in SCIM's media type (RFC 7644 §3.1). */
function scimJson(c: Context<ScimEnv>, body: unknown, status: 200 | 201 = 200) {
  return c.body(JSON.stringify(body), status, { "content-type": SCIM_JSON });
}

/** Errors in SCIM's shape (RFC 7644 §3.12), with Parapet's stable code beside them. */
function scimErrorResponse(err: Error, c: Context<ScimEnv>) {
  if (err instanceof AppError) {
    const scimType = (err.extra?.scimType as string | undefined) ?? (err.status === 409 && err.code !== "last_owner" ? "uniqueness" : err.code === "invalid_input" ? "invalidValue" : undefined);
    const headers: Record<string, string> = { "content-type": SCIM_JSON };
    if (err.status === 429 && err.extra?.retryAfterSeconds) headers["retry-after"] = String(err.extra.retryAfterSeconds);
    if (err.status === 401) headers["www-authenticate"] = 'Bearer realm="Parapet SCIM"';
    const body = { schemas: [URN.error], status: String(err.status), ...(scimType ? { scimType } : {}), detail: err.message, code: err.code };
    return c.body(JSON.stringify(body), err.status, headers);
  }
  c.var.services?.log.error({ err, requestId: c.var.requestId, path: c.req.routePath }, "unhandled SCIM error");
  return c.body(JSON.stringify({ schemas: [URN.error], status: "500", detail: "Something went wrong on our side. It has been logged.", code: "internal_error" }), 500, { "content-type": SCIM_JSON });
}

/** The client's IP, the same way the API finds it (the last X-Forwarded-For hop behind a trusted proxy). */
function clientIp(c: Context<ScimEnv>): string | null {
  if (c.var.services.config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // app.request() in tests has no socket
  }
}

/**
 * The SCIM 2.0 service (RFC 7643, 7644) at /scim/v2, for the workspace whose token the provider sends. Every request
 * runs in one transaction as the system actor "SCIM (token …)", which checks first that the token still stands.
 */
export function scimProtocolRoutes() {
  const scim = new Hono<ScimEnv>();
  scim.onError(scimErrorResponse);

  scim.use("*", async (c, next) => {
    const services = c.var.services;
    const ip = clientIp(c);
    const bearer = c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    const refuse = async (error: AppError) => {
      // Counted per address: the limit answers 429 instead once someone keeps trying.
      await consumeRateLimit(services.database.db, `scim-auth:${ip ?? "unknown"}`, FAILED_AUTH_PER_MINUTE, 60, services.clock());
      throw error;
    };
    if (!bearer) return refuse(scimTokenMissing());
    if (!SCIM_TOKEN_PATTERN.test(bearer)) return refuse(scimTokenMalformed());
    const token = await authenticateScimToken(services, bearer);
    if (!token) return refuse(scimTokenInvalid());
    c.set("scimTokenId", token.id);
    c.set("ctx", createCtx(services, { actor: { type: "system", label: scimActorLabel(token) }, workspaceId: token.workspaceId, request: { ip, userAgent: c.req.header("user-agent")?.slice(0, 400) ?? null } }));
    await next();
  });

  /** Runs the request's work in one transaction; a token revoked meanwhile stops it. */
  const run = <T>(c: Context<ScimEnv>, fn: (tx: Ctx) => Promise<T>) =>
    inTransaction(c.var.ctx, async (tx) => {
      if (!(await scimTokenStillLive(tx.db, c.var.scimTokenId))) throw scimTokenInvalid();
      return fn(tx);
    });
  const baseUrl = (c: Context<ScimEnv>) => scimBaseUrl(c.var.services);
  const body = async (c: Context<ScimEnv>): Promise<unknown> => {
    // The API's 1 MiB limit (hono's bodyLimit re-wraps the request, which fails for body-less requests here).
    const tooLarge = () => new AppError("payload_too_large", 413, "The request body is larger than 1 MiB");
    if (Number(c.req.header("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
    const raw = await c.req.text();
    if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw tooLarge();
    try {
      return JSON.parse(raw);
    } catch {
      throw invalidSyntax("The request body is not valid JSON");
    }
  };
  const listQuery = (c: Context<ScimEnv>) => {
    const number = (name: string, fallback: number) => {
      const value = c.req.query(name);
      if (value === undefined || value === "") return fallback;
      const n = Number(value);
      if (!Number.isInteger(n)) throw invalidSyntax(`${name} must be a whole number`);
      return n;
    };
    // RFC 7644 §3.4.2.4: a startIndex below 1 counts as 1; a negative count as 0.
    return { filter: c.req.query("filter") || undefined, startIndex: Math.max(1, number("startIndex", 1)), count: Math.min(MAX_PAGE, Math.max(0, number("count", 100))), baseUrl: baseUrl(c) };
  };
  const projection = (c: Context<ScimEnv>) => ({ attributes: c.req.query("attributes"), excludedAttributes: c.req.query("excludedAttributes") });
  const id = (c: Context<ScimEnv>, what: "User" | "Group") => {
    const value = c.req.param("id") ?? "";
    if (!UUID.test(value)) throw scimNotFound(what);
    return value.toLowerCase();
  };
  const operations = async (c: Context<ScimEnv>): Promise<PatchOperation[]> => patchOperations(await body(c));

  scim.get("/ServiceProviderConfig", (c) => scimJson(c, serviceProviderConfig(baseUrl(c), `${c.var.services.config.publicUrl}/api/v1/docs`)));
  scim.get("/ResourceTypes", (c) => {
    const all = resourceTypes(baseUrl(c));
    return scimJson(c, { schemas: [URN.listResponse], totalResults: all.length, startIndex: 1, itemsPerPage: all.length, Resources: all });
  });
  scim.get("/ResourceTypes/:name", (c) => {
    const found = resourceTypes(baseUrl(c)).find((r) => r.id === c.req.param("name"));
    if (!found) throw new AppError("not_found", 404, "ResourceType not found");
    return scimJson(c, found);
  });
  scim.get("/Schemas", (c) => {
    const all = schemas(baseUrl(c));
    return scimJson(c, { schemas: [URN.listResponse], totalResults: all.length, startIndex: 1, itemsPerPage: all.length, Resources: all });
  });
  scim.get("/Schemas/:id", (c) => {
    const found = schemas(baseUrl(c)).find((s) => s.id === c.req.param("id"));
    if (!found) throw new AppError("not_found", 404, "Schema not found");
    return scimJson(c, found);
  });

  scim.get("/Users", async (c) => {
    const list = await run(c, (tx) => listScimUsers(tx, listQuery(c)));
    return scimJson(c, { ...list, Resources: list.Resources.map((r) => project(r, projection(c))) });
  });
  scim.post("/Users", async (c) => {
    const payload = await body(c);
    const person = await run(c, async (tx) => getScimUser(tx, { userId: (await createScimUser(tx, payload)).user.id, baseUrl: baseUrl(c) }));
    c.header("location", person.meta.location);
    return scimJson(c, person, 201);
  });
  scim.get("/Users/:id", async (c) => scimJson(c, project(await run(c, (tx) => getScimUser(tx, { userId: id(c, "User"), baseUrl: baseUrl(c) })), projection(c))));
  scim.put("/Users/:id", async (c) => {
    const userId = id(c, "User");
    const ops = resourceAsOperations(await body(c));
    return scimJson(c, await run(c, async (tx) => getScimUser(tx, { userId: (await updateScimUser(tx, { userId, operations: ops })).user.id, baseUrl: baseUrl(c) })));
  });
  scim.patch("/Users/:id", async (c) => {
    const userId = id(c, "User");
    const ops = await operations(c);
    return scimJson(c, await run(c, async (tx) => getScimUser(tx, { userId: (await updateScimUser(tx, { userId, operations: ops })).user.id, baseUrl: baseUrl(c) })));
  });
  scim.delete("/Users/:id", async (c) => {
    const userId = id(c, "User");
    await run(c, (tx) => deleteScimUser(tx, { userId }));
    return c.body(null, 204);
  });

  scim.get("/Groups", async (c) => {
    const list = await run(c, (tx) => listScimGroups(tx, listQuery(c)));
    return scimJson(c, { ...list, Resources: list.Resources.map((r) => project(r, projection(c))) });
  });
  scim.post("/Groups", async (c) => {
    const payload = await body(c);
    const group = await run(c, async (tx) => getScimGroup(tx, { teamId: (await createScimGroup(tx, payload)).team.id, baseUrl: baseUrl(c) }));
    c.header("location", group.meta.location);
    return scimJson(c, group, 201);
  });
  scim.get("/Groups/:id", async (c) => scimJson(c, project(await run(c, (tx) => getScimGroup(tx, { teamId: id(c, "Group"), baseUrl: baseUrl(c) })), projection(c))));
  scim.put("/Groups/:id", async (c) => {
    const teamId = id(c, "Group");
    const ops = resourceAsOperations(await body(c));
    return scimJson(c, await run(c, async (tx) => getScimGroup(tx, { teamId: (await updateScimGroup(tx, { teamId, operations: ops })).team.id, baseUrl: baseUrl(c) })));
  });
  scim.patch("/Groups/:id", async (c) => {
    const teamId = id(c, "Group");
    const ops = await operations(c);
    return scimJson(c, await run(c, async (tx) => getScimGroup(tx, { teamId: (await updateScimGroup(tx, { teamId, operations: ops })).team.id, baseUrl: baseUrl(c) })));
  });
  scim.delete("/Groups/:id", async (c) => {
    const teamId = id(c, "Group");
    await run(c, (tx) => deleteScimGroup(tx, { teamId }));
    return c.body(null, 204);
  });

  scim.all("*", () => {
    throw new AppError("not_found", 404, "No such SCIM endpoint: Parapet serves /Users, /Groups, /ServiceProviderConfig, /ResourceTypes and /Schemas (no /Bulk)");
  });
  return scim;
}
