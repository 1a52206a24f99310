import { Command, Option } from "commander";
import { ConfigError, describeSettings, loadConfig, type Config } from "./config";
import { inTransaction, unsafeSystemCtx, withActor } from "./context";
import { verifyAuditChain } from "./audit/verify";
import { AUDIT_CHAIN_KEY } from "./audit/chain";
import { seedDemo } from "./demo/seed-demo";
import { AppError } from "./errors";
import { createApiToken, createUser, findUserByEmail } from "./domains/identity";
import { createWorkspace, workspacesOf } from "./domains/workspaces";
import { TOKEN_SCOPES, type TokenScope } from "../contracts/roles";
import { startParapet } from "./main";
import { openServices } from "./services";
import { createLogger } from "./log";
import { randomBytes } from "node:crypto";

/** Loads config or prints every problem and exits 2. */
function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

/** Opens the database (migrated) for a one-shot command, runs `fn`, closes. */
async function withServices<T>(fn: (services: Awaited<ReturnType<typeof openServices>>) => Promise<T>): Promise<T> {
  const cfg = config();
  const services = await openServices(cfg, { log: createLogger(cfg.logLevel === "info" ? "warn" : cfg.logLevel) });
  try {
    await services.database.migrate();
    return await fn(services);
  } finally {
    await services.close();
  }
}

/** Runs until Ctrl-C / SIGTERM, then stops cleanly. */
async function runUntilSignal(start: () => ReturnType<typeof startParapet>, banner?: (running: Awaited<ReturnType<typeof startParapet>>) => void) {
  const running = await start();
  banner?.(running);
  let signalled = false;
  const shutdown = async (signal: string) => {
    if (signalled) return;
    signalled = true;
    running.services.log.info({ signal }, "stopping");
    await running.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

function printBanner(running: Awaited<ReturnType<typeof startParapet>>) {
  const lines = [``, `  Parapet is running: ${running.url}`, `  Database: ${running.services.database.kind === "pglite" ? `embedded (${running.services.config.dataDir})` : "PostgreSQL"}`];
  if (running.demo) {
    lines.push(`  Demo sign-in: ${running.demo.email}`);
    lines.push(running.demo.password ? `  Demo password: ${running.demo.password}  (all demo people share it)` : `  Demo password: the one set in PARAPET_DEMO_PASSWORD`);
  }
  lines.push(`  Stop with Ctrl-C.`, ``);
  console.log(lines.join("\n"));
}

const program = new Command("parapet")
  .description("Parapet: social media risk management, self-hosted.")
  .addHelpText("after", `\nSettings (environment variables):\n${describeSettings().map((s) => `  ${s.name.padEnd(24)} ${s.default ? `[${s.default}] ` : ""}${s.doc}`).join("\n")}`)
  .showHelpAfterError();

program
  .command("start")
  .description("Everything in one process (what `npm start` runs): migrate, create the demo workspace on first start, serve the web app and API, and run the background jobs.")
  .action(() => runUntilSignal(() => startParapet(config(), { migrate: true, demo: config().demo.enabled }), printBanner));

program
  .command("serve")
  .description("Only the web app and API (stateless: run several behind a load balancer). Needs a migrated database.")
  .action(() => runUntilSignal(() => startParapet(config(), { migrate: false, demo: false, services: ["web"] }), printBanner));

program
  .command("worker")
  .description("Only the background jobs (run one or more next to `serve`). Needs a migrated database.")
  .action(() => runUntilSignal(() => startParapet(config(), { migrate: false, demo: false, services: ["worker"] })));

program
  .command("migrate")
  .description("Apply the database migrations (safe to run from several processes at once on PostgreSQL).")
  .action(() =>
    withServices(async (s) => {
      console.log(`Database migrated (${s.database.kind}).`);
    }),
  );

program
  .command("demo")
  .description("Create the demo workspace if there is none, and print its sign-in.")
  .action(() =>
    withServices(async (s) => {
      const demo = await seedDemo(s);
      console.log(`${demo.created ? "Demo workspace created" : "Demo workspace already exists"}.\nSign in: ${demo.email}\nPassword: ${demo.password ?? "(the one in PARAPET_DEMO_PASSWORD)"}`);
    }),
  );

const admin = program.command("admin").description("Administration from the command line.");

admin
  .command("create")
  .description("Create a user and a new workspace (brand) they own. Prints a generated password unless --password is given.")
  .requiredOption("--email <email>", "their email")
  .option("--name <name>", "their name", "Administrator")
  .option("--password <password>", "their password (at least 10 characters); generated if omitted")
  .option("--workspace <name>", "workspace (brand) name to create", "My brand")
  .action((opts: { email: string; name: string; password?: string; workspace: string }) =>
    withServices(async (s) => {
      const password = opts.password ?? randomBytes(12).toString("base64url");
      const system = unsafeSystemCtx(s, "cli");
      const result = await inTransaction(system, async (tx) => {
        const user = await createUser(tx, { email: opts.email, name: opts.name, password });
        await tx.audit({ type: "user.created", data: { userId: user.id, email: user.email, via: "cli" } }, { type: "user", id: user.id });
        const workspace = await createWorkspace(tx, { name: opts.workspace, ownerUserId: user.id });
        return { user, workspace };
      });
      console.log(`Created ${result.user.email}, owner of "${result.workspace.name}".${opts.password ? "" : `\nPassword: ${password}`}`);
    }),
  );

const token = admin.command("token").description("Personal API tokens.");
token
  .command("create")
  .description("Print a new personal API token of a user, for automation (acts as that user, limited to its scopes).")
  .requiredOption("--email <email>", "whose token")
  .option("--name <name>", "what the token is for", "automation")
  .addOption(new Option("--scopes <list>", `comma-separated scopes: ${TOKEN_SCOPES.join(", ")}`).default(TOKEN_SCOPES.filter((x) => x.endsWith(":read")).join(",")))
  .option("--days <n>", "expires after this many days (0 = never)", "90")
  .option("--workspace <slug>", "the workspace it acts in (default: the user's first)")
  .action((opts: { email: string; name: string; scopes: string; days: string; workspace?: string }) =>
    withServices(async (s) => {
      const scopes = opts.scopes.split(",").map((x) => x.trim()).filter(Boolean);
      const unknown = scopes.filter((x) => !(TOKEN_SCOPES as readonly string[]).includes(x));
      if (unknown.length) throw new AppError("invalid_input", 400, `Unknown scopes: ${unknown.join(", ")}. Known: ${TOKEN_SCOPES.join(", ")}`);
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 0) throw new AppError("invalid_input", 400, "--days must be a whole number ≥ 0");
      const user = await findUserByEmail(s.database.db, opts.email);
      if (!user) throw new AppError("not_found", 404, `No user ${opts.email}`);
      const memberships = await workspacesOf(s.database.db, user.id);
      const membership = opts.workspace ? memberships.find((m) => m.workspace.slug === opts.workspace) : memberships[0];
      if (!membership) throw new AppError("not_found", 404, `${opts.email} is not a member of ${opts.workspace ?? "any workspace"}`);
      const actor = { type: "user" as const, userId: user.id, email: user.email, name: user.name, role: membership.role, via: "session" as const };
      const ctx = withActor(unsafeSystemCtx(s, "cli"), actor, membership.workspace.id);
      const created = await createApiToken(ctx, { name: opts.name, scopes: scopes as TokenScope[], expiresInDays: days || null, via: "cli" });
      console.log(created.token);
    }),
  );

const audit = program.command("audit").description("The tamper-evident audit log.");
audit
  .command("verify")
  .description("Recompute the hash chain; exit 1 and name the first row that was edited, removed or reordered.")
  .action(() =>
    withServices(async (s) => {
      const result = await verifyAuditChain(s.database.db, s.secrets.deriveKey(AUDIT_CHAIN_KEY));
      if (result.ok) console.log(`Audit log intact: ${result.rows} events, chain verified.`);
      else {
        console.error(`AUDIT LOG TAMPERED: ${result.message} (first bad row: #${result.firstBadSeq}; ${result.rows} rows before it verified).`);
        process.exitCode = 1;
      }
    }),
  );


program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof AppError) {
    console.error(`Error (${err.code}): ${err.message}${err.fields ? `\n${Object.entries(err.fields).map(([f, m]) => `  ${f}: ${m.join("; ")}`).join("\n")}` : ""}`);
    process.exit(err.status === 409 && err.code === "database_in_use" ? 3 : 1);
  }
  console.error(err);
  process.exit(1);
});
