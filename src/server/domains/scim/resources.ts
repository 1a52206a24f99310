import type { ScimGroup, ScimPerson } from "./queries/scim-people";

/** SCIM 2.0 schema URNs (RFC 7643 §8.7, RFC 7644 §3). */
export const URN = {
  user: "urn:ietf:params:scim:schemas:core:2.0:User",
  group: "urn:ietf:params:scim:schemas:core:2.0:Group",
  listResponse: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
  patchOp: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
  error: "urn:ietf:params:scim:api:messages:2.0:Error",
  serviceProviderConfig: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
  resourceType: "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
  schema: "urn:ietf:params:scim:schemas:core:2.0:Schema",
} as const;

/** The most resources one page returns (the ServiceProviderConfig says so). */
export const MAX_PAGE = 200;

/** The name Parapet shows for a person: `given family`, or what the provider called them. */
export function formattedName(person: ScimPerson): string {
  const parts = [person.link?.givenName, person.link?.familyName].filter((p): p is string => !!p);
  return parts.length ? parts.join(" ") : person.user.name;
}

/** A person as a SCIM User. `id` is their Parapet user id; `active` is whether they are a member now. */
export function presentScimUser(person: ScimPerson, baseUrl: string) {
  const { user, link, membership } = person;
  const name: Record<string, string> = { formatted: formattedName(person) };
  if (link?.givenName) name.givenName = link.givenName;
  if (link?.familyName) name.familyName = link.familyName;
  const lastModified = [link?.updatedAt, membership?.createdAt, user.createdAt].filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0];
  return {
    schemas: [URN.user],
    id: user.id,
    ...(link?.externalId ? { externalId: link.externalId } : {}),
    userName: link?.userName ?? user.email,
    name,
    displayName: user.name,
    emails: [{ value: user.email, type: "work", primary: true }],
    preferredLanguage: user.locale,
    active: membership !== null,
    groups: person.teams.map((t) => ({ value: t.id, display: t.name, $ref: `${baseUrl}/Groups/${t.id}`, type: "direct" })),
    meta: { resourceType: "User", created: (link?.createdAt ?? membership?.createdAt ?? user.createdAt).toISOString(), lastModified: lastModified.toISOString(), location: `${baseUrl}/Users/${user.id}` },
  };
}

/** A team as a SCIM Group. */
export function presentScimGroup(group: ScimGroup, baseUrl: string) {
  return {
    schemas: [URN.group],
    id: group.team.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.team.name,
    members: group.members.map((m) => ({ value: m.userId, display: m.name, $ref: `${baseUrl}/Users/${m.userId}`, type: "User" })),
    meta: { resourceType: "Group", created: group.team.createdAt.toISOString(), lastModified: group.updatedAt.toISOString(), location: `${baseUrl}/Groups/${group.team.id}` },
  };
}

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5), for top-level attributes: `id` and `schemas` always
 * stay. Entra asks for groups with `excludedAttributes=members`.
 */
export function project<T extends Record<string, unknown>>(resource: T, query: { attributes?: string; excludedAttributes?: string }): Partial<T> {
  const names = (list?: string) =>
    (list ?? "")
      .split(",")
      .map((a) => a.trim().replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i, "").split(".")[0].toLowerCase())
      .filter(Boolean);
  const keep = names(query.attributes);
  const drop = names(query.excludedAttributes);
  if (!keep.length && !drop.length) return resource;
  return Object.fromEntries(
    Object.entries(resource).filter(([key]) => {
      const k = key.toLowerCase();
      if (k === "id" || k === "schemas") return true;
      if (keep.length) return keep.includes(k);
      return !drop.includes(k);
    }),
  ) as Partial<T>;
}

/** A page of resources (RFC 7644 §3.4.2.4): `startIndex` counts from 1. */
export function listResponse<T>(all: T[], startIndex: number, count: number) {
  const page = all.slice(startIndex - 1, startIndex - 1 + count);
  return { schemas: [URN.listResponse], totalResults: all.length, startIndex, itemsPerPage: page.length, Resources: page };
}

/** What Parapet supports of SCIM (RFC 7643 §5). */
export function serviceProviderConfig(baseUrl: string, docsUrl: string) {
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: docsUrl,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: "oauthbearertoken", name: "Bearer token", description: "A workspace SCIM token from Settings → Security: Authorization: Bearer scim_…", primary: true },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string) {
  return [
    { schemas: [URN.resourceType], id: "User", name: "User", endpoint: "/Users", description: "A person in the workspace", schema: URN.user, meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/User` } },
    { schemas: [URN.resourceType], id: "Group", name: "Group", endpoint: "/Groups", description: "A team in the workspace", schema: URN.group, meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/Group` } },
  ];
}

const attribute = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "string",
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...extra,
});

/** The attributes Parapet keeps (RFC 7643 §7); others a provider sends are accepted and ignored. */
export function schemas(baseUrl: string) {
  return [
    {
      schemas: [URN.schema],
      id: URN.user,
      name: "User",
      description: "A person in the workspace",
      attributes: [
        attribute("userName", { required: true, uniqueness: "server" }),
        attribute("externalId", { caseExact: true }),
        attribute("name", {
          type: "complex",
          subAttributes: [attribute("formatted"), attribute("givenName"), attribute("familyName")],
        }),
        attribute("displayName"),
        attribute("preferredLanguage", { mutability: "readOnly" }),
        attribute("emails", {
          type: "complex",
          multiValued: true,
          subAttributes: [attribute("value"), attribute("type", { canonicalValues: ["work"] }), attribute("primary", { type: "boolean" })],
        }),
        attribute("active", { type: "boolean" }),
        attribute("groups", {
          type: "complex",
          multiValued: true,
          mutability: "readOnly",
          subAttributes: [attribute("value", { caseExact: true, mutability: "readOnly" }), attribute("display", { mutability: "readOnly" }), attribute("$ref", { type: "reference", referenceTypes: ["Group"], mutability: "readOnly" })],
        }),
      ],
      meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${URN.user}` },
    },
    {
      schemas: [URN.schema],
      id: URN.group,
      name: "Group",
      description: "A team in the workspace",
      attributes: [
        attribute("displayName", { required: true, uniqueness: "server" }),
        attribute("externalId", { caseExact: true }),
        attribute("members", {
          type: "complex",
          multiValued: true,
          subAttributes: [attribute("value", { caseExact: true, mutability: "immutable" }), attribute("display", { mutability: "readOnly" }), attribute("$ref", { type: "reference", referenceTypes: ["User"], mutability: "immutable" })],
        }),
      ],
      meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${URN.group}` },
    },
  ];
}
