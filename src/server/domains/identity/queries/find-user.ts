import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { users } from "../identity.schema";

export type User = typeof users.$inferSelect;

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email.trim()})`);
  return user;
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/** What other domains and clients may see of a user: never hashes or secrets. */
export function presentUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    locale: user.locale,
    mfaEnabled: user.mfaEnabledAt !== null,
    /** An admin removed their second factors (a lost device): they must set up a new one before anything else. */
    mfaReenrolmentRequired: user.mfaReenrolmentRequiredAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}
export type PresentedUser = ReturnType<typeof presentUser>;
