import { z } from "@hono/zod-openapi";
import { PostMedia } from "../../../contracts/media";
import { defineRoute, may } from "../../http/access";
import { ERRORS, idParam, newRouter, ok } from "../../http/openapi-kit";
import { uploadMedia } from "./commands/upload-media";
import { mediaContent } from "./queries/media-content";

const tags = ["Publishing"];
export const mediaRoutes = newRouter();

/** Where uploads go: the API's body limit is raised for this path only (see app.ts). */
export const MEDIA_UPLOAD_PATH = "/media";

mediaRoutes.openapi(
  defineRoute(may("posts.write"), {
    method: "post", path: MEDIA_UPLOAD_PATH, tags, summary: "Upload an image for a post (the body is the file itself)",
    description:
      "Send the file's bytes as the body (any Content-Type: the type is found from the bytes, not from the name or the header). JPEG, PNG, GIF and WebP, at most 16 MB. Answers the image's id, type, size and dimensions; name it in a post's `media` (with its alt text) when you create or update the post. An upload no post uses is deleted after a day. Each channel's own rules (count, types, size, alt text) are checked when the post is saved. Errors: `media_type_not_allowed` (422), `media_too_large` (413), `invalid_input` (empty body).",
    request: {
      query: z.object({ name: z.string().max(255).optional().openapi({ description: "The file's name, shown to people (never used to tell its type)" }) }),
      body: { content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } }, required: true },
    },
    responses: { 200: ok(PostMedia), 400: ERRORS[400], 403: ERRORS[403], 413: { description: "Larger than 16 MB (`media_too_large`)" }, 422: { description: "Not a JPEG, PNG, GIF or WebP image (`media_type_not_allowed`)" } },
  }),
  async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return c.json(await uploadMedia(c.var.ctx, { bytes, fileName: c.req.valid("query").name ?? null }), 200);
  },
);

mediaRoutes.openapi(
  defineRoute(may("posts.read"), {
    method: "get", path: "/media/{mediaId}/content", tags, summary: "An image's bytes (a post's image, for whoever can read the post; an unused upload, for its uploader)",
    request: { params: idParam("mediaId") },
    responses: { 200: { description: "The image", content: { "image/*": { schema: z.string().openapi({ format: "binary" }) } } }, 404: ERRORS[404] },
  }),
  async (c) => {
    const media = await mediaContent(c.var.ctx, { mediaId: c.req.valid("param").mediaId });
    return c.body(new Uint8Array(media.bytes), 200, {
      "content-type": media.mimeType,
      "cache-control": "private, max-age=86400",
      etag: `"${media.sha256}"`,
      "x-content-type-options": "nosniff",
    });
  },
);
