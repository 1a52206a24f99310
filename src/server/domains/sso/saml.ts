import { X509Certificate } from "node:crypto";
import { SAML, ValidateInResponseTo, generateServiceProviderMetadata, type CacheProvider, type Profile } from "@node-saml/node-saml";
import { DOMParser } from "@xmldom/xmldom";
import type { Services } from "../../context";
import type { SsoProvider } from "./queries/sso-provider";
import type { ProviderIdentity } from "./commands/sign-in-through-provider";

/** How far the IdP's clock may be from ours when reading NotBefore / NotOnOrAfter / IssueInstant. */
export const SAML_CLOCK_SKEW_MS = 60_000;
/** An assertion older than this (by its IssueInstant) is refused, whatever its NotOnOrAfter says. */
export const SAML_MAX_ASSERTION_AGE_MS = 10 * 60_000;

const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
const EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

/** The attributes read for the email and the name when the admin names none (Entra ID, Okta, Keycloak, LDAP OIDs). */
export const DEFAULT_EMAIL_ATTRIBUTES = [
  "email",
  "mail",
  "emailAddress",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
  "urn:oid:0.9.2342.19200300.100.1.3",
];
export const DEFAULT_NAME_ATTRIBUTES = ["name", "displayName", "http://schemas.microsoft.com/identity/claims/displayname", "urn:oid:2.16.840.1.113730.3.1.241", "cn"];
const GIVEN_NAME_ATTRIBUTES = ["givenName", "firstName", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "urn:oid:2.5.4.42"];
const SURNAME_ATTRIBUTES = ["sn", "surname", "lastName", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "urn:oid:2.5.4.4"];

/** Parapet as a SAML service provider for one workspace: what its admin gives their identity provider. */
export function samlServiceProvider(services: Services, workspaceId: string) {
  const base = `${services.config.publicUrl}/api/v1/auth/sso/saml/${workspaceId}`;
  // The entity ID is the metadata's own address: an IdP that imports metadata by URL finds it there.
  return { entityId: `${base}/metadata`, acsUrl: `${base}/acs`, metadataUrl: `${base}/metadata` };
}

/** The service provider's metadata XML: entity ID, the assertion consumer service (HTTP-POST), signed assertions wanted. */
export function samlMetadataXml(services: Services, workspaceId: string): string {
  const sp = samlServiceProvider(services, workspaceId);
  return generateServiceProviderMetadata({ issuer: sp.entityId, callbackUrl: sp.acsUrl, identifierFormat: null, wantAssertionsSigned: true });
}

export type CertificateInfo = { subject: string; issuer: string; notBefore: string; notAfter: string; fingerprint: string };

/**
 * Reads pasted signing certificates: one or more PEM blocks (`-----BEGIN CERTIFICATE-----`), or one bare base64
 * certificate as IdP metadata carries it. Each must parse as X.509. Returns normalised PEM, or what is wrong.
 */
export function parseCertificates(text: string): { pems: string[]; infos: CertificateInfo[] } | { error: string } {
  const trimmed = text.trim();
  if (!trimmed) return { error: "Paste the identity provider's signing certificate (PEM)" };
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) return { error: "This is a private key: paste the identity provider's certificate, never a key" };
  const bodies = trimmed.includes("-----BEGIN")
    ? [...trimmed.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => m[1])
    : [trimmed];
  if (!bodies.length) return { error: "Paste a certificate: -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----" };
  if (bodies.length > 5) return { error: "At most 5 certificates" };
  const pems: string[] = [];
  const infos: CertificateInfo[] = [];
  for (const body of bodies) {
    const base64 = body.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return { error: "The certificate is not valid PEM (base64 between the BEGIN and END lines)" };
    const pem = `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
    try {
      const cert = new X509Certificate(pem);
      infos.push({
        subject: distinguishedName(cert.subject),
        issuer: distinguishedName(cert.issuer),
        notBefore: new Date(cert.validFrom).toISOString(),
        notAfter: new Date(cert.validTo).toISOString(),
        fingerprint: cert.fingerprint256,
      });
    } catch {
      return { error: "The certificate could not be read as an X.509 certificate" };
    }
    pems.push(pem);
  }
  return { pems, infos };
}

/** Node writes a certificate's name one attribute a line; people read it comma-separated. */
const distinguishedName = (multiLine: string) => multiLine.split("\n").filter(Boolean).join(", ");

/**
 * node-saml set up for a workspace's IdP. Signatures: a signed assertion, or a signed response around it, by one of
 * the configured certificates (node-saml refuses anything else, and an assertion taken out of its signature's scope).
 * InResponseTo is checked through `requests` (our sign-in attempts) when the response carries one; a response without
 * one is refused afterwards by the caller (IdP-initiated). Time conditions are not left to node-saml, which reads the
 * machine's clock: `checkAssertion` reads them with the injected clock, with the rest of what SAML's Web Browser SSO
 * profile asks of a service provider.
 */
export function samlClient(services: Services, provider: SsoProvider, requests: CacheProvider): SAML {
  const sp = samlServiceProvider(services, provider.workspaceId);
  return new SAML({
    entryPoint: provider.samlSsoUrl!,
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    audience: sp.entityId,
    idpCert: provider.samlCertificates!,
    idpIssuer: provider.issuer,
    // No NameIDPolicy format: the IdP sends what it is configured to (persistent, email or unspecified).
    identifierFormat: null,
    // Requesting "password over TLS" would make IdPs refuse people who signed in with MFA or a passkey.
    disableRequestedAuthnContext: true,
    wantAssertionsSigned: false,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.ifPresent,
    requestIdExpirationPeriodMs: SAML_MAX_ASSERTION_AGE_MS,
    cacheProvider: requests,
    acceptedClockSkewMs: -1,
  });
}

type XmlJs = { $?: Record<string, string>; _?: string; [child: string]: unknown };
const children = (node: XmlJs | undefined, name: string): XmlJs[] => (node && Array.isArray(node[name]) ? (node[name] as XmlJs[]) : []);
const textOf = (node: XmlJs | undefined) => (typeof node?._ === "string" ? node._.trim() : undefined);
const timeOf = (value: string | undefined) => (value ? Date.parse(value) : NaN);

/**
 * What node-saml leaves to us, on the verified assertion: the issuer is the configured IdP; it was issued recently
 * (not in the future); its Conditions hold now (NotBefore / NotOnOrAfter, with a small skew); a bearer
 * SubjectConfirmation names our ACS as Recipient, is still valid and answers the same request as the Response; it has
 * an ID (for replay) and a NameID. Returns why it is refused, or null.
 */
export function checkAssertion(profile: Profile, expected: { now: Date; issuer: string; acsUrl: string; inResponseTo: string }): string | null {
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion;
  if (!assertion) return "no assertion";
  const now = expected.now.getTime();
  if (textOf(children(assertion, "Issuer")[0]) !== expected.issuer) return "issuer is not the configured IdP";
  if (!assertion.$?.ID) return "assertion without ID";
  const issued = timeOf(assertion.$?.IssueInstant);
  if (Number.isNaN(issued) || issued > now + SAML_CLOCK_SKEW_MS || issued + SAML_MAX_ASSERTION_AGE_MS < now - SAML_CLOCK_SKEW_MS) return "issue instant missing, in the future or too old";
  const conditions = children(assertion, "Conditions");
  if (conditions.length !== 1) return "not exactly one Conditions";
  const notBefore = timeOf(conditions[0].$?.NotBefore);
  const notOnOrAfter = timeOf(conditions[0].$?.NotOnOrAfter);
  if (!Number.isNaN(notBefore) && now + SAML_CLOCK_SKEW_MS < notBefore) return "not yet valid";
  if (!Number.isNaN(notOnOrAfter) && now - SAML_CLOCK_SKEW_MS >= notOnOrAfter) return "expired";
  const subject = children(assertion, "Subject")[0];
  const confirmed = children(subject, "SubjectConfirmation").some((confirmation) => {
    if (confirmation.$?.Method !== BEARER) return false;
    return children(confirmation, "SubjectConfirmationData").some((data) => {
      const until = timeOf(data.$?.NotOnOrAfter);
      const from = timeOf(data.$?.NotBefore);
      return (
        data.$?.Recipient === expected.acsUrl &&
        data.$?.InResponseTo === expected.inResponseTo &&
        !Number.isNaN(until) &&
        now - SAML_CLOCK_SKEW_MS < until &&
        (Number.isNaN(from) || now + SAML_CLOCK_SKEW_MS >= from)
      );
    });
  });
  if (!confirmed) return "no bearer subject confirmation for this request, recipient and time";
  if (!profile.nameID) return "no NameID";
  return null;
}

/** The assertion's ID (checked present by `checkAssertion`). */
export function assertionIdOf(profile: Profile): string {
  return ((profile.getAssertion!() as { Assertion: XmlJs }).Assertion.$ as Record<string, string>).ID;
}

/** Whether the NameID is one-time (transient): it cannot link a person to their account. */
export function nameIdIsTransient(profile: Profile): boolean {
  return profile.nameIDFormat === TRANSIENT;
}

/** The Response element's Destination and InResponseTo, read before verification (neither is trusted by itself). */
export function responseEnvelope(samlResponse: string): { destination: string | null; inResponseTo: string | null } | null {
  try {
    const xml = Buffer.from(samlResponse, "base64").toString("utf8");
    const root = new DOMParser({ errorHandler: () => undefined }).parseFromString(xml, "text/xml").documentElement;
    if (!root || root.localName !== "Response") return null;
    return { destination: root.getAttribute("Destination") || null, inResponseTo: root.getAttribute("InResponseTo") || null };
  } catch {
    return null;
  }
}

/** The person a verified assertion names, in the terms both protocols share. */
export function identityFromAssertion(profile: Profile, provider: SsoProvider): ProviderIdentity {
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  const lookup = (names: string[]) => {
    for (const name of names) {
      const key = Object.keys(attributes).find((k) => k === name) ?? Object.keys(attributes).find((k) => k.toLowerCase() === name.toLowerCase());
      const value = key === undefined ? undefined : attributes[key];
      const first = Array.isArray(value) ? value.find((v) => typeof v === "string") : value;
      if (typeof first === "string" && first.trim()) return first.trim();
    }
    return null;
  };
  let email = lookup(provider.samlEmailAttribute ? [provider.samlEmailAttribute] : DEFAULT_EMAIL_ATTRIBUTES);
  if (!email && !provider.samlEmailAttribute && profile.nameIDFormat === EMAIL_FORMAT) email = profile.nameID.trim();
  let name = lookup(provider.samlNameAttribute ? [provider.samlNameAttribute] : DEFAULT_NAME_ATTRIBUTES);
  if (!name && !provider.samlNameAttribute) name = [lookup(GIVEN_NAME_ATTRIBUTES), lookup(SURNAME_ATTRIBUTES)].filter(Boolean).join(" ") || null;
  const teamsKey = provider.teamsClaim ? Object.keys(attributes).find((k) => k === provider.teamsClaim) : undefined;
  return {
    subject: profile.nameID,
    email,
    // SAML has no "verified" flag: the workspace's own IdP vouches for the email it asserts (the domain is still checked).
    emailVerified: email !== null,
    name,
    locale: null,
    teams: teamsKey === undefined ? undefined : attributes[teamsKey],
  };
}
