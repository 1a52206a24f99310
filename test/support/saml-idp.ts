import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { generate } from "selfsigned";
import { SignedXml } from "xml-crypto";

/** What the IdP knows about one of its people; `login` at its sign-in page is also the persistent NameID unless set. */
export type SamlTestAccount = { email: string; name?: string; groups?: string[]; nameId?: string };

/** What a test changes in the next response, to prove Parapet refuses it. */
export type SamlResponseOptions = {
  /** Which element carries the XML signature; "none" sends it unsigned. Default: the assertion. */
  sign?: "assertion" | "response" | "both" | "none";
  /** Sign with a key the service provider was never given. */
  foreignKey?: boolean;
  audience?: string;
  recipient?: string;
  /** null leaves Destination out. */
  destination?: string | null;
  /** null makes an unsolicited (IdP-initiated) response. */
  inResponseTo?: string | null;
  issuer?: string;
  assertionId?: string;
  nameIdFormat?: string;
  /** How long the assertion is valid for, from `now` (default 5 minutes). */
  validForMs?: number;
  /** A non-success status instead of an assertion, e.g. "urn:oasis:names:tc:SAML:2.0:status:Responder". */
  status?: string;
  /** Applied to the XML after signing: a man in the middle's edit. */
  tamper?: (xml: string) => string;
};

const PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
const ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
const PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";

const escapeXml = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const newId = () => `_${randomBytes(16).toString("hex")}`;
const instant = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

async function keyPair(commonName: string) {
  const pems = await generate([{ name: "commonName", value: commonName }, { name: "organizationName", value: "Parapet tests" }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600_000),
  });
  return { privateKey: pems.private, certificate: pems.cert };
}

/** What an AuthnRequest (SAML core 3.4.1) asks: its ID, who asks (Issuer) and where to answer. */
export function readAuthnRequest(samlRequest: string): { id: string; issuer: string; acsUrl: string } {
  const xml = inflateRawSync(Buffer.from(samlRequest, "base64")).toString("utf8");
  const root = new DOMParser().parseFromString(xml, "text/xml").documentElement!;
  if (root.localName !== "AuthnRequest" || root.namespaceURI !== PROTOCOL_NS) throw new Error("not an AuthnRequest");
  const issuer = root.getElementsByTagNameNS(ASSERTION_NS, "Issuer")[0]?.textContent?.trim() ?? "";
  return { id: root.getAttribute("ID") ?? "", issuer, acsUrl: root.getAttribute("AssertionConsumerServiceURL") ?? "" };
}

/**
 * A SAML 2.0 identity provider for tests, on a loopback port, written from the SAML 2.0 core and profiles specs:
 * its SSO endpoint takes an AuthnRequest by the HTTP-Redirect binding, shows a small sign-in page, and answers with a
 * Response posted to the request's assertion consumer service by the HTTP-POST binding (an auto-submitting form).
 * The assertion is signed (enveloped XML signature, exclusive c14n, RSA-SHA256) with a key and self-signed
 * certificate made at start. A real IdP posts only to the ACS registered for the service provider; this one believes
 * the request, so that tests need not register anything. It listens on 127.0.0.1; `host` names it in its URLs.
 */
export async function startSamlTestIdp(options: { now?: () => Date; host?: string } = {}) {
  const now = options.now ?? (() => new Date());
  const [own, foreign] = await Promise.all([keyPair("Parapet test IdP"), keyPair("Someone else's IdP")]);
  const accounts = new Map<string, SamlTestAccount>();
  let nextOptions: SamlResponseOptions = {};
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // The host in its URLs: another name than Parapet's makes the IdP another site for a browser (e.g. "localhost").
  const origin = `http://${options.host ?? "127.0.0.1"}:${(server.address() as AddressInfo).port}`;
  const entityId = `${origin}/idp`;
  const ssoUrl = `${origin}/sso`;

  /** A signed Response (SAML core 3.3.3, 2.3.3) for `login`, answering `request` (or nobody, when unsolicited). */
  function buildResponse(login: string, request: { id: string | null; issuer: string; acsUrl: string }, opts: SamlResponseOptions = {}): string {
    const account = accounts.get(login);
    if (!account) throw new Error(`unknown test account ${login}`);
    const issued = now();
    const until = new Date(issued.getTime() + (opts.validForMs ?? 5 * 60_000));
    const inResponseTo = opts.inResponseTo === undefined ? request.id : opts.inResponseTo;
    const replyTo = inResponseTo ? ` InResponseTo="${escapeXml(inResponseTo)}"` : "";
    const destination = opts.destination === undefined ? request.acsUrl : opts.destination;
    const issuer = escapeXml(opts.issuer ?? entityId);
    const attribute = (name: string, values: string[]) =>
      `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values
        .map((v) => `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`)
        .join("")}</saml:Attribute>`;
    const status = `<samlp:Status><samlp:StatusCode Value="${opts.status ?? SUCCESS}"/></samlp:Status>`;
    const assertion = opts.status
      ? ""
      : `<saml:Assertion xmlns:saml="${ASSERTION_NS}" ID="${opts.assertionId ?? newId()}" Version="2.0" IssueInstant="${instant(issued)}">` +
        `<saml:Issuer>${issuer}</saml:Issuer>` +
        `<saml:Subject><saml:NameID Format="${opts.nameIdFormat ?? PERSISTENT}">${escapeXml(account.nameId ?? login)}</saml:NameID>` +
        `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${replyTo} Recipient="${escapeXml(opts.recipient ?? request.acsUrl)}" NotOnOrAfter="${instant(until)}"/></saml:SubjectConfirmation></saml:Subject>` +
        `<saml:Conditions NotBefore="${instant(new Date(issued.getTime() - 30_000))}" NotOnOrAfter="${instant(until)}"><saml:AudienceRestriction><saml:Audience>${escapeXml(opts.audience ?? request.issuer)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
        `<saml:AuthnStatement AuthnInstant="${instant(issued)}" SessionIndex="${newId()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
        `<saml:AttributeStatement>${attribute("email", [account.email])}${account.name ? attribute("displayName", [account.name]) : ""}${account.groups ? attribute("groups", account.groups) : ""}</saml:AttributeStatement>` +
        `</saml:Assertion>`;
    let xml =
      `<samlp:Response xmlns:samlp="${PROTOCOL_NS}" xmlns:saml="${ASSERTION_NS}" ID="${newId()}" Version="2.0" IssueInstant="${instant(issued)}"${destination ? ` Destination="${escapeXml(destination)}"` : ""}${replyTo}>` +
      `<saml:Issuer>${issuer}</saml:Issuer>${status}${assertion}</samlp:Response>`;
    const sign = opts.sign ?? "assertion";
    const key = opts.foreignKey ? foreign : own;
    if (!opts.status && (sign === "assertion" || sign === "both")) xml = signElement(xml, "Assertion", key);
    if (sign === "response" || sign === "both") xml = signElement(xml, "Response", key);
    return Buffer.from(opts.tamper ? opts.tamper(xml) : xml).toString("base64");
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", origin);
    try {
      if (req.method === "GET" && url.pathname === "/sso") {
        const samlRequest = url.searchParams.get("SAMLRequest") ?? "";
        readAuthnRequest(samlRequest); // refuse garbage before showing the page
        return page(res, 200, `<h1>Test identity provider</h1><p>Parapet asks who you are.</p><form method="post" action="/sso/login"><input type="hidden" name="SAMLRequest" value="${escapeXml(samlRequest)}"><p><label>Username <input name="login" autocomplete="username" required></label></p><p><button type="submit">Sign in</button></p></form>`);
      }
      if (req.method === "POST" && url.pathname === "/sso/login") {
        const form = new URLSearchParams(await body(req));
        const request = readAuthnRequest(form.get("SAMLRequest") ?? "");
        const login = form.get("login") ?? "";
        if (!accounts.has(login)) return page(res, 403, `<h1>Unknown account</h1>`);
        const samlResponse = buildResponse(login, request, nextOptions);
        return page(
          res,
          200,
          `<form method="post" action="${escapeXml(request.acsUrl)}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"><noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script>`,
        );
      }
      page(res, 404, "<h1>Not found</h1>");
    } catch (err) {
      page(res, 400, `<h1>Bad request</h1><p>${escapeXml(String(err))}</p>`);
    }
  }

  return {
    entityId,
    ssoUrl,
    /** The IdP's signing certificate (PEM), to configure at the service provider. */
    certificate: own.certificate,
    /** A certificate of another IdP, whose key signs when `foreignKey` is set. */
    foreignCertificate: foreign.certificate,
    addAccount(login: string, account: SamlTestAccount) {
      accounts.set(login, account);
    },
    /** Options for the responses the sign-in page makes from now on (tests reset them with `{}`). */
    respondWith(options: SamlResponseOptions) {
      nextOptions = options;
    },
    buildResponse,
    /**
     * What a browser does at the IdP, over HTTP: opens the authorize URL (the SSO URL with the AuthnRequest), signs in
     * as `login`, and reads the auto-posting form. Returns where it posts and the SAMLResponse it carries.
     */
    async signIn(authorizeUrl: string, login: string): Promise<{ acsUrl: string; samlResponse: string }> {
      const pageRes = await fetch(authorizeUrl);
      const html = await pageRes.text();
      if (pageRes.status !== 200) throw new Error(`IdP page answered ${pageRes.status}: ${html}`);
      const samlRequest = /name="SAMLRequest" value="([^"]*)"/.exec(html)![1].replace(/&amp;/g, "&");
      const answer = await fetch(`${origin}/sso/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ SAMLRequest: samlRequest, login }) });
      const posted = await answer.text();
      if (answer.status !== 200) throw new Error(`IdP sign-in answered ${answer.status}: ${posted}`);
      return { acsUrl: /action="([^"]*)"/.exec(posted)![1].replace(/&amp;/g, "&"), samlResponse: /name="SAMLResponse" value="([^"]*)"/.exec(posted)![1] };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type SamlTestIdp = Awaited<ReturnType<typeof startSamlTestIdp>>;

/** An enveloped signature over the element (by its ID), placed after its Issuer as the SAML schema orders it. */
function signElement(xml: string, localName: "Assertion" | "Response", key: { privateKey: string; certificate: string }): string {
  const signer = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certificate,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
  });
  const element = `/*[local-name(.)='Response']${localName === "Assertion" ? "/*[local-name(.)='Assertion']" : ""}`;
  signer.addReference({
    xpath: element,
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
  });
  signer.computeSignature(xml, { prefix: "ds", location: { reference: `${element}/*[local-name(.)='Issuer']`, action: "after" } });
  return signer.getSignedXml();
}

function page(res: http.ServerResponse, status: number, content: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head><body><main>${content}</main></body></html>`);
}

function body(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (data += chunk));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}
