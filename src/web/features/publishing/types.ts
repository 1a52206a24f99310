import type { z } from "zod";
import type * as contract from "../../../contracts/publishing";

/** The publishing API's shapes, as the server's contract defines them (src/contracts/publishing.ts). */
export type Post = z.infer<typeof contract.Post>;
export type PostTarget = z.infer<typeof contract.PostTarget>;
export type PostEvent = z.infer<typeof contract.PostEvent>;
export type TargetStatus = z.infer<typeof contract.TargetStatus>;
export type PostContentBody = z.infer<typeof contract.PostContentBody>;
export type Pause = z.infer<typeof contract.Pause>;
export type PauseResult = z.infer<typeof contract.PauseResult>;
export type ResumeResult = z.infer<typeof contract.ResumeResult>;
export type PublishingStatus = z.infer<typeof contract.PublishingStatus>;
export type ReleaseDecision = z.infer<typeof contract.ReleaseHeldBody>["decisions"][number];
export type ReleaseHeldResult = z.infer<typeof contract.ReleaseHeldResult>;
