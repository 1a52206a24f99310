import type { Ctx } from "../../../context";
import { conflict } from "../../../errors";
import { users } from "../identity.schema";
import { checkPasswordStrength, hashPassword } from "../passwords";
import { findUserByEmail, type User } from "../queries/find-user";

export const emailTaken = () => conflict("email_taken", "A user with this email already exists");

/** Creates a user with a password (inside the caller's transaction). Callers decide membership and audit. */
export async function createUser(ctx: Ctx, input: { email: string; name: string; password: string; locale?: string }): Promise<User> {
  const email = input.email.trim();
  if (await findUserByEmail(ctx.db, email)) throw emailTaken();
  checkPasswordStrength(input.password, email);
  const [user] = await ctx.db
    .insert(users)
    .values({ email, name: input.name.trim(), locale: input.locale ?? "en", passwordHash: await hashPassword(input.password) })
    .returning();
  return user;
}
