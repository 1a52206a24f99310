import { z } from "zod";
import { LOCALES } from "../../../contracts/roles";
import { parsePatchPath, type PatchPath } from "./filter";
import { READ_ONLY, bool, jsonObject, optionalText, text, type PatchOperation } from "./patch-ops";
import type { ScimPerson } from "./queries/scim-people";
import { invalidValue, noTarget } from "./scim.errors";

/** What a SCIM request says a person should be; `touched` names what the request set. */
export type UserState = {
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  formatted: string | null;
  displayName: string | null;
  email: string | null;
  active: boolean;
  locale: string | null;
  touched: Set<"userName" | "externalId" | "givenName" | "familyName" | "formatted" | "displayName" | "email" | "active" | "locale">;
};

export function emptyUserState(): UserState {
  return { userName: "", externalId: null, givenName: null, familyName: null, formatted: null, displayName: null, email: null, active: true, locale: null, touched: new Set() };
}

/** The state a person is in now, as their SCIM resource shows it. */
export function userStateOf(person: ScimPerson): UserState {
  return {
    userName: person.link?.userName ?? person.user.email,
    externalId: person.link?.externalId ?? null,
    givenName: person.link?.givenName ?? null,
    familyName: person.link?.familyName ?? null,
    formatted: null,
    displayName: person.user.name,
    email: person.user.email,
    active: person.membership !== null,
    locale: person.user.locale,
    touched: new Set(),
  };
}

/** A full resource (POST, PUT) as one path-less replace: attributes it leaves out stay as they are. */
export function resourceAsOperations(body: unknown): PatchOperation[] {
  const resource = { ...jsonObject(body) };
  for (const key of Object.keys(resource)) if (READ_ONLY.has(key.toLowerCase())) delete resource[key];
  return [{ op: "replace", path: null, value: resource }];
}

/** Applies PATCH operations to a person's state; attributes Parapet does not keep (title, phone numbers, extensions…) are ignored. */
export function applyUserOperations(state: UserState, operations: PatchOperation[]): UserState {
  for (const operation of operations) {
    if (operation.path) {
      applyAt(state, parsePatchPath(operation.path), operation.op, operation.value, operation.path);
      continue;
    }
    if (operation.op === "remove") throw noTarget("(none)");
    for (const [key, value] of Object.entries(jsonObject(operation.value, "A path-less value"))) {
      if (READ_ONLY.has(key.toLowerCase())) continue;
      applyAt(state, parsePatchPath(key), operation.op, value, key);
    }
  }
  return state;
}

function applyAt(state: UserState, path: PatchPath, op: PatchOperation["op"], value: unknown, raw: string): void {
  if (path.extension) return;
  const remove = op === "remove";
  const set = <K extends keyof Omit<UserState, "touched">>(key: K, v: UserState[K]) => {
    state[key] = v;
    state.touched.add(key);
  };
  switch (path.attribute) {
    case "username":
      if (!remove) set("userName", text(value, "userName", 254));
      return;
    case "externalid":
      set("externalId", remove ? null : optionalText(value, "externalId", 255));
      return;
    case "displayname":
      set("displayName", remove ? null : optionalText(value, "displayName", 120));
      return;
    case "active":
      if (!remove) set("active", bool(value, "active"));
      return;
    case "preferredlanguage":
    case "locale": {
      const locale = remove ? null : optionalText(value, path.attribute, 35)?.slice(0, 2).toLowerCase() ?? null;
      if (locale && (LOCALES as readonly string[]).includes(locale)) set("locale", locale);
      return;
    }
    case "name": {
      const parts: Record<string, "givenName" | "familyName" | "formatted"> = { givenname: "givenName", familyname: "familyName", formatted: "formatted" };
      if (path.sub) {
        const key = parts[path.sub];
        if (key) set(key, remove ? null : optionalText(value, `name.${key}`, 120));
        return;
      }
      if (remove) {
        for (const key of Object.values(parts)) set(key, null);
        return;
      }
      for (const [k, v] of Object.entries(jsonObject(value, "name"))) {
        const key = parts[k.toLowerCase()];
        if (key) set(key, optionalText(v, `name.${key}`, 120));
      }
      return;
    }
    case "emails": {
      // A person has one email in Parapet; removing it is not possible, so a remove is ignored.
      if (remove) return;
      if (path.sub) {
        if (path.sub === "value") set("email", emailValue(value));
        return;
      }
      {
        const email = pickEmail(Array.isArray(value) ? value : [value]);
        if (email) set("email", email);
      }
      return;
    }
    default:
      // Not kept by Parapet (title, phoneNumbers, addresses, password…): accepted and ignored. See docs/security.md.
      void raw;
  }
}

const Email = z.email();

function emailValue(value: unknown): string {
  const email = text(value, "emails.value", 254);
  if (!Email.safeParse(email).success) throw invalidValue(`"${email}" is not an email address`);
  return email;
}

/**
 * The primary email, else the work one, else a lone email without a type; undefined when the value only holds other
 * kinds (a home address added beside the work one does not replace it).
 */
function pickEmail(list: unknown[]): string | undefined {
  const items = list.map((item) => jsonObject(item, "An email")).filter((item) => item.value !== undefined);
  if (!items.length) throw invalidValue("emails needs at least one entry with a value");
  const chosen =
    items.find((e) => e.primary === true || (typeof e.primary === "string" && e.primary.toLowerCase() === "true")) ??
    items.find((e) => typeof e.type === "string" && e.type.toLowerCase() === "work") ??
    (items.length === 1 && items[0].type === undefined ? items[0] : undefined);
  return chosen ? emailValue(chosen.value) : undefined;
}

/** The person's Parapet email: the email given, else a userName that is an email address. */
export function emailOf(state: UserState): string {
  if (state.email) return state.email;
  if (Email.safeParse(state.userName).success) return state.userName;
  throw invalidValue("Give an email (emails[type eq \"work\"].value) or a userName that is an email address");
}

/**
 * The name Parapet shows, when the request set one: displayName first, then name.formatted, then given and family
 * names together; undefined when the request did not touch any of them.
 */
export function nameOf(state: UserState): string | undefined {
  if (state.touched.has("displayName") && state.displayName) return state.displayName;
  if (state.touched.has("formatted") && state.formatted) return state.formatted;
  if (state.touched.has("givenName") || state.touched.has("familyName")) {
    const joined = [state.givenName, state.familyName].filter(Boolean).join(" ").trim();
    if (joined) return joined.slice(0, 120);
  }
  return undefined;
}
