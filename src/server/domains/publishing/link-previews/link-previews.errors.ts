import { AppError } from "../../../errors";

/** The address resolves to (or redirects to) a loopback, private, link-local or otherwise non-public address. */
export const linkPreviewBlocked = (why: string) =>
  new AppError("link_preview_blocked", 422, `No preview for this address: it is not on the public internet (${why})`, { url: ["This address is not on the public internet"] });
/** The page could not be read: not found, refused, an error status, too slow, too many redirects. */
export const linkPreviewUnreachable = (why: string) => new AppError("link_preview_unreachable", 422, `The page could not be read: ${why}`, { url: [why] });
/** The address answers with something other than a web page (a file, an image, JSON…). */
export const linkPreviewNotAPage = (why: string) => new AppError("link_preview_not_a_page", 422, `No preview: ${why}`, { url: [why] });
/** The page has no title, description or image to show. */
export const linkPreviewEmpty = () => new AppError("link_preview_empty", 422, "The page has no title, description or image to show", { url: ["Nothing to show for this page"] });
