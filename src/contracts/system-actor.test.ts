import { describe, expect, it } from "vitest";
import { systemActorKind } from "./system-actor";

describe("systemActorKind", () => {
  it("recognises the labels Parapet's own work is recorded under", () => {
    expect(systemActorKind("crisis CR-2 (Olivia Brandt)")).toBe("crisis_mode");
    expect(systemActorKind("crisis CR-12")).toBe("crisis_mode");
    expect(systemActorKind("drill injects")).toBe("drill_script");
    expect(systemActorKind("drill")).toBe("drill");
    expect(systemActorKind("cli")).toBe("command_line");
    expect(systemActorKind("demo")).toBe("demo");
    expect(systemActorKind('SCIM (token "Okta", scim_ab12…)')).toBe("scim");
    expect(systemActorKind("Claire Martin <claire@agency.example> (external)")).toBe("external_approver");
    for (const job of ["crisis.deadlines", "listening.scan-impostors", "members.end-partner-access", "publisher", "listening", "reconnect-link"]) expect(systemActorKind(job)).toBe("automatic");
  });

  it("leaves a label it does not know as it is", () => {
    expect(systemActorKind("test")).toBeNull();
    expect(systemActorKind("crisis CR-x")).toBeNull();
    expect(systemActorKind("Some.Person")).toBeNull();
  });
});
