import { describe, expect, it } from "vitest";
import { CHANNEL_ACTIONS, CHANNEL_LEVELS, ROLES, TOKEN_SCOPES, WORKSPACE_ACTIONS, type ChannelLevel, type Role, type TokenScope, type WorkspaceAction } from "../../contracts/roles";
import { AppError } from "../errors";
import { authorize, can, canOnChannel, highestLevel, levelAllows, levelByRole, mayAssignRole, mayInviteAs, mayRemoveMember, permissionsOf, roleAllows, type Actor } from "./index";

/**
 * The permission engine, read as tables. The expectations are written out by hand here — not recomputed from
 * ROLE_ALLOWS — so a change to the engine shows up as a diff someone has to agree with.
 */
const Y = true;
const N = false;

//                                          owner admin manager member
const ROLE_TABLE: Record<WorkspaceAction, [boolean, boolean, boolean, boolean]> = {
  "workspace.read":                        [Y,    Y,    Y,      Y],
  "workspace.update":                      [Y,    Y,    N,      N],
  "members.read":                          [Y,    Y,    Y,      Y],
  "members.invite":                        [Y,    Y,    N,      N],
  "members.change_role":                   [Y,    Y,    N,      N],
  "members.remove":                        [Y,    Y,    N,      N],
  "teams.read":                            [Y,    Y,    Y,      Y],
  "teams.manage":                          [Y,    Y,    N,      N],
  "audit.read":                            [Y,    Y,    Y,      N],
  "audit.export":                          [Y,    Y,    N,      N],
  "audit.verify":                          [Y,    Y,    N,      N],
  "outbox.read":                           [Y,    Y,    N,      N],
  "channels.read":                         [Y,    Y,    Y,      Y],
  "channels.manage":                       [Y,    Y,    N,      N],
  "sandbox.manage":                        [Y,    Y,    N,      N],
  "posts.read":                            [Y,    Y,    Y,      Y],
  "posts.write":                           [Y,    Y,    Y,      Y],
  "publishing.pause":                      [Y,    Y,    N,      N],
  "approvals.manage":                      [Y,    Y,    N,      N],
  "access_review.read":                    [Y,    Y,    N,      N],
  "access_review.sign_off":                [Y,    Y,    N,      N],
  "listening.read":                        [Y,    Y,    Y,      Y],
  "listening.correct":                     [Y,    Y,    Y,      Y],
  "listening.manage":                      [Y,    Y,    Y,      N],
  "alerts.handle":                         [Y,    Y,    Y,      N],
  "alerts.destinations":                   [Y,    Y,    N,      N],
  "crisis.read":                           [Y,    Y,    Y,      Y],
  "crisis.respond":                        [Y,    Y,    Y,      Y],
  "crisis.declare":                        [Y,    Y,    Y,      N],
  "crisis.manage":                         [Y,    Y,    Y,      N],
  "crisis.plans":                          [Y,    Y,    Y,      N],
  "crisis.severities":                     [Y,    Y,    N,      N],
  "crisis.secure":                         [Y,    Y,    N,      N],
};

/** The one token scope each action needs when the caller uses a personal API token. */
const SCOPE_TABLE: Record<WorkspaceAction, TokenScope> = {
  "workspace.read": "workspace:read",
  "workspace.update": "workspace:write",
  "members.read": "members:read",
  "members.invite": "members:write",
  "members.change_role": "members:write",
  "members.remove": "members:write",
  "teams.read": "teams:read",
  "teams.manage": "teams:write",
  "audit.read": "audit:read",
  "audit.export": "audit:read",
  "audit.verify": "audit:read",
  "outbox.read": "workspace:read",
  "channels.read": "channels:read",
  "channels.manage": "channels:write",
  "sandbox.manage": "workspace:write",
  "posts.read": "posts:read",
  "posts.write": "posts:write",
  "publishing.pause": "posts:write",
  "approvals.manage": "workspace:write",
  "access_review.read": "members:read",
  "access_review.sign_off": "members:write",
  "listening.read": "listening:read",
  "listening.correct": "listening:write",
  "listening.manage": "listening:write",
  "alerts.handle": "listening:write",
  "alerts.destinations": "workspace:write",
  "crisis.read": "crisis:read",
  "crisis.respond": "crisis:write",
  "crisis.declare": "crisis:write",
  "crisis.manage": "crisis:write",
  "crisis.plans": "crisis:write",
  "crisis.severities": "crisis:write",
  "crisis.secure": "crisis:write",
};

const sessionActor = (role: Role | null): Actor => ({ type: "user", userId: "u1", email: "a@example.test", name: "A", role, via: "session", sessionId: "s1" });
const tokenActor = (role: Role | null, scopes: readonly TokenScope[]): Actor => ({
  type: "user", userId: "u1", email: "a@example.test", name: "A", role, via: "api_token", tokenId: "t1", scopes,
});

describe("permission engine: roles", () => {
  it("has a written-out row for every action the product knows", () => {
    expect(Object.keys(ROLE_TABLE).sort()).toEqual([...WORKSPACE_ACTIONS].sort());
    expect(Object.keys(SCOPE_TABLE).sort()).toEqual([...WORKSPACE_ACTIONS].sort());
  });

  for (const action of WORKSPACE_ACTIONS) {
    ROLES.forEach((role, column) => {
      const expected = ROLE_TABLE[action][column];
      it(`${expected ? "lets" : "refuses"} a${role === "owner" || role === "admin" ? "n" : ""} ${role} ${action}`, () => {
        expect(roleAllows(role, action)).toBe(expected);
        expect(can(sessionActor(role), action)).toBe(expected);
        expect(permissionsOf(sessionActor(role))[action]).toBe(expected);
        if (expected) expect(() => authorize(sessionActor(role), action)).not.toThrow();
        else expect(() => authorize(sessionActor(role), action)).toThrow(expect.objectContaining({ code: "forbidden", status: 403 }));
      });
    });
  }

  it("lets a signed-in person without a workspace role do nothing in a workspace", () => {
    for (const action of WORKSPACE_ACTIONS) expect(can(sessionActor(null), action), action).toBe(false);
    expect(Object.values(permissionsOf(sessionActor(null))).every((v) => v === false)).toBe(true);
  });

  it("lets anonymous callers do nothing and the system actor everything", () => {
    for (const action of WORKSPACE_ACTIONS) {
      expect(can({ type: "anonymous" }, action), action).toBe(false);
      expect(can({ type: "system", label: "test" }, action), action).toBe(true);
    }
    let thrown: unknown;
    try {
      authorize({ type: "anonymous" }, "workspace.read");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe("forbidden");
  });
});

describe("permission engine: API token scopes", () => {
  for (const action of WORKSPACE_ACTIONS) {
    const scope = SCOPE_TABLE[action];
    it(`${action} through a token needs the ${scope} scope`, () => {
      expect(can(tokenActor("owner", [scope]), action)).toBe(true);
      expect(can(tokenActor("owner", TOKEN_SCOPES.filter((s) => s !== scope)), action)).toBe(false);
      expect(can(tokenActor("owner", []), action)).toBe(false);
    });
  }

  it("never lets a token do more than its owner's role, whatever its scopes", () => {
    const everyScope = [...TOKEN_SCOPES];
    ROLES.forEach((role, column) => {
      for (const action of WORKSPACE_ACTIONS) expect(can(tokenActor(role, everyScope), action), `${role} ${action}`).toBe(ROLE_TABLE[action][column]);
    });
    expect(can(tokenActor("member", everyScope), "members.invite")).toBe(false);
    expect(can(tokenActor("manager", ["audit:read"]), "audit.export")).toBe(false);
  });

  it("treats a token without scopes as allowed nothing", () => {
    const actor: Actor = { type: "user", userId: "u1", email: "a@example.test", name: "A", role: "owner", via: "api_token", tokenId: "t1" };
    for (const action of WORKSPACE_ACTIONS) expect(can(actor, action), action).toBe(false);
  });

  it("a read-only token (the CLI's default scopes) reads but does not change", () => {
    const readOnly = TOKEN_SCOPES.filter((s) => s.endsWith(":read"));
    const admin = tokenActor("admin", readOnly);
    expect(can(admin, "members.read")).toBe(true);
    expect(can(admin, "audit.export")).toBe(true);
    expect(can(admin, "members.invite")).toBe(false);
    expect(can(admin, "teams.manage")).toBe(false);
    expect(can(admin, "workspace.update")).toBe(false);
  });
});

describe("permission engine: who may give, take and invite which role", () => {
  // [actor, current role of the member, new role, expected]
  const ASSIGN: Array<[Role | null, Role, Role, boolean]> = [
    // Owners may move anyone anywhere (the last-owner rule is the command's, not the predicate's).
    ["owner", "member", "owner", Y],
    ["owner", "admin", "owner", Y],
    ["owner", "owner", "admin", Y],
    ["owner", "owner", "member", Y],
    ["owner", "member", "admin", Y],
    ["owner", "admin", "member", Y],
    // Admins manage the roles below owner…
    ["admin", "member", "manager", Y],
    ["admin", "manager", "admin", Y],
    ["admin", "admin", "member", Y],
    ["admin", "member", "admin", Y],
    // …but can neither grant owner nor take it away.
    ["admin", "member", "owner", N],
    ["admin", "admin", "owner", N],
    ["admin", "owner", "admin", N],
    ["admin", "owner", "member", N],
    // Managers, members and people without a role change nothing.
    ["manager", "member", "manager", N],
    ["manager", "member", "member", N],
    ["member", "member", "manager", N],
    [null, "member", "manager", N],
  ];
  for (const [actor, from, to, expected] of ASSIGN) {
    it(`mayAssignRole: ${actor ?? "no role"} ${expected ? "may" : "may not"} move ${from} → ${to}`, () => {
      expect(mayAssignRole(actor, from, to)).toBe(expected);
    });
  }

  // [actor, role of the member to remove, expected]
  const REMOVE: Array<[Role | null, Role, boolean]> = [
    ["owner", "owner", Y],
    ["owner", "admin", Y],
    ["owner", "member", Y],
    ["admin", "owner", N],
    ["admin", "admin", Y],
    ["admin", "manager", Y],
    ["admin", "member", Y],
    ["manager", "member", N],
    ["member", "member", N],
    [null, "member", N],
  ];
  for (const [actor, target, expected] of REMOVE) {
    it(`mayRemoveMember: ${actor ?? "no role"} ${expected ? "may" : "may not"} remove a ${target}`, () => {
      expect(mayRemoveMember(actor, target)).toBe(expected);
    });
  }

  // [actor, role offered, expected]
  const INVITE: Array<[Role | null, Role, boolean]> = [
    ["owner", "owner", Y],
    ["owner", "admin", Y],
    ["owner", "member", Y],
    ["admin", "owner", N],
    ["admin", "admin", Y],
    ["admin", "manager", Y],
    ["admin", "member", Y],
    ["manager", "member", N],
    ["member", "member", N],
    [null, "member", N],
  ];
  for (const [actor, role, expected] of INVITE) {
    it(`mayInviteAs: ${actor ?? "no role"} ${expected ? "may" : "may not"} invite a${role === "owner" || role === "admin" ? "n" : ""} ${role}`, () => {
      expect(mayInviteAs(actor, role)).toBe(expected);
    });
  }
});

describe("permission engine: channel levels", () => {
  //                                                   read draft reply publish
  const LEVEL_TABLE: Record<ChannelLevel, [boolean, boolean, boolean, boolean]> = {
    none:                                             [N,   N,    N,    N],
    read:                                             [Y,   N,    N,    N],
    approval_required:                                [Y,   Y,    N,    N],
    reply:                                            [Y,   Y,    Y,    N],
    publish:                                          [Y,   Y,    Y,    Y],
  };
  it("has a written-out row for every level", () => {
    expect(Object.keys(LEVEL_TABLE)).toEqual([...CHANNEL_LEVELS]);
  });
  for (const level of CHANNEL_LEVELS) {
    CHANNEL_ACTIONS.forEach((action, column) => {
      const expected = LEVEL_TABLE[level][column];
      it(`${level} ${expected ? "allows" : "does not allow"} ${action}`, () => expect(levelAllows(level, action)).toBe(expected));
    });
  }

  it("a person's level is the highest of their own grant and their teams' grants", () => {
    expect(highestLevel([])).toBe("none");
    expect(highestLevel(["read", "none"])).toBe("read");
    expect(highestLevel(["approval_required", "publish", "reply"])).toBe("publish");
    expect(highestLevel(["reply", "read"])).toBe("reply");
  });

  it("owners and admins have Full publishing on every channel by their role; managers and members need a grant", () => {
    expect(ROLES.map((role) => levelByRole(role))).toEqual(["publish", "publish", "none", "none"]);
  });

  it("an API token acts on a channel only with the action's scope: channels:read to read, channels:write for the rest", () => {
    const member = (scopes: TokenScope[]): Actor => ({ type: "user", userId: "u", email: "e", name: "n", role: "member", via: "api_token", scopes });
    expect(canOnChannel(member(["channels:read"]), "publish", "read")).toBe(true);
    expect(canOnChannel(member(["channels:read"]), "publish", "reply")).toBe(false);
    expect(canOnChannel(member(["channels:write"]), "publish", "publish")).toBe(true);
    expect(canOnChannel(member(["channels:write", "channels:read"]), "read", "reply")).toBe(false); // never more than the level
    expect(canOnChannel({ type: "anonymous" }, "publish", "read")).toBe(false);
    expect(canOnChannel({ type: "system", label: "job" }, "none", "publish")).toBe(true);
  });
});
