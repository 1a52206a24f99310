import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import { imageSize } from "image-size";
import { UPLOAD_MAX_BYTES, UPLOAD_TYPES } from "../../../../contracts/media-rules";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { presentMedia } from "../media";
import { uploadEmpty, uploadTooLarge, uploadTypeNotAllowed } from "../media.errors";
import { postMedia } from "../media.schema";

export type UploadMediaInput = { bytes: Uint8Array; fileName?: string | null };

/**
 * Keeps an image for a post about to be written: its type is found from its bytes (file-type), never from its
 * name or declared type, so a renamed file is what it really is; its width and height are read (image-size).
 * Not yet any post's: saving a post with its id attaches it; nobody's after a day, the cleanup job deletes it.
 * Whether each channel takes it is checked when the post is saved (src/contracts/media-rules.ts).
 */
export async function uploadMedia(ctx: Ctx, input: UploadMediaInput) {
  authorize(ctx.actor, "posts.write");
  const { workspaceId } = currentWorkspace(ctx);
  if (input.bytes.byteLength === 0) throw uploadEmpty();
  if (input.bytes.byteLength > UPLOAD_MAX_BYTES) throw uploadTooLarge(UPLOAD_MAX_BYTES);
  const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  const found = await fileTypeFromBuffer(bytes);
  if (!found || !(UPLOAD_TYPES as readonly string[]).includes(found.mime)) throw uploadTypeNotAllowed(found?.mime ?? null);
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw uploadTypeNotAllowed(null); // the right first bytes, but not an image that can be read
  }
  if (!size.width || !size.height) throw uploadTypeNotAllowed(null);
  const fileName = input.fileName?.trim().slice(0, 255) || null;
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(postMedia)
      .values({
        workspaceId,
        uploadedBy: tx.actor.type === "user" ? tx.actor.userId : null,
        mimeType: found.mime,
        byteSize: bytes.byteLength,
        width: size.width!,
        height: size.height!,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        fileName,
        bytes,
        createdAt: tx.now(),
      })
      .returning();
    await tx.audit(
      { type: "media.uploaded", data: { mediaId: row.id, mimeType: row.mimeType, byteSize: row.byteSize, sha256: row.sha256 } },
      { type: "media", id: row.id },
    );
    return presentMedia(row);
  });
}
