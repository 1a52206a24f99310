import { z } from "zod";

/** Internal comments on a post: never published; read and written by the people who can see the post. */

export const COMMENT_MAX_LENGTH = 5000;

export const CommentBody = z.object({
  body: z.string().max(COMMENT_MAX_LENGTH),
  /** The people the comment @mentions (they are mailed); each must be able to see the post. */
  mentions: z.array(z.uuid()).max(20).optional(),
});

export const PostComment = z.object({
  id: z.uuid(),
  postId: z.uuid(),
  authorId: z.string().nullable(),
  author: z.string(),
  body: z.string(),
  mentions: z.array(z.object({ userId: z.string(), name: z.string() })),
  /** The post's version when the comment was written. */
  postVersion: z.number(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  /** What the reader may do with it: its author edits and deletes it. */
  can: z.object({ edit: z.boolean(), delete: z.boolean() }),
});

export const PostComments = z.object({
  comments: z.array(PostComment),
  /** The post's version now (a comment on an older one says so). */
  postVersion: z.number(),
  /** Whether the reader may add a comment. */
  canComment: z.boolean(),
});

export const MentionablePeople = z.object({ people: z.array(z.object({ userId: z.uuid(), name: z.string(), email: z.string() })) });
