import { AppError } from "../../errors";

/**
 * SCIM answers errors in its own shape (RFC 7644 §3.12): `{ schemas: [Error], status, scimType?, detail }`. Each
 * error still has a stable Parapet code (in `detail`'s place for people, and in the `code` member for scripts);
 * `scimType` is the RFC's keyword where one applies.
 */
export type ScimType = "invalidFilter" | "invalidSyntax" | "invalidPath" | "invalidValue" | "noTarget" | "mutability" | "uniqueness" | "tooMany";

const scimError = (code: string, status: AppError["status"], scimType: ScimType | null, message: string) =>
  new AppError(code, status, message, undefined, scimType ? { scimType } : undefined);

export const scimTokenMissing = () => scimError("scim_token_missing", 401, null, "Send the workspace's SCIM token: Authorization: Bearer scim_…");
export const scimTokenMalformed = () =>
  scimError("scim_token_malformed", 401, null, "This is not a Parapet SCIM token (they start with scim_ and are 48 characters long): copy it again from Settings → Security");
export const scimTokenInvalid = () => scimError("scim_token_invalid", 401, null, "This SCIM token is unknown or was revoked: create a new one in Settings → Security");
export const invalidFilter = (detail: string) => scimError("scim_invalid_filter", 400, "invalidFilter", `The filter is not valid: ${detail}`);
export const invalidSyntax = (detail: string) => scimError("scim_invalid_syntax", 400, "invalidSyntax", detail);
export const invalidPath = (path: string) => scimError("scim_invalid_path", 400, "invalidPath", `The path "${path}" is not valid here`);
export const invalidValue = (detail: string) => scimError("scim_invalid_value", 400, "invalidValue", detail);
export const noTarget = (path: string) => scimError("scim_no_target", 400, "noTarget", `The path "${path}" matched nothing`);
export const mutability = (detail: string) => scimError("scim_mutability", 400, "mutability", detail);
export const userNameTaken = () => scimError("scim_uniqueness", 409, "uniqueness", "A person with this userName or email is already provisioned in this workspace");
export const groupNameTaken = () => scimError("scim_uniqueness", 409, "uniqueness", "A team with this displayName already exists in this workspace");
export const scimNotFound = (what: "User" | "Group") => scimError("not_found", 404, null, `${what} not found`);
