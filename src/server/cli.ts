import { Command, Option } from "commander";
import { randomBytes } from "node:crypto";
import { ConfigError, describeSettings, loadConfig, type Config } from "./config";
import { AppError } from "./errors";
import { TOKEN_SCOPES, type TokenScope } from "../contracts/roles";
import type { SealedValuesCheck } from "./keys/check-sealed-values";
import type { startParapet } from "./main";
import type { openServices } from "./services";

// The server's modules are imported by the command that needs them, not up front: loading all of them takes
// seconds, which `parapet --help` (and a mistyped command) should not wait for.

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

/**
 * Opens the database (migrated) for a one-shot command, runs `fn`, closes. The audit chain key is stored under the
 * key in use now (see chain.ts) unless `keysCommand` (those look at the keys first, and work with a wrong one).
 */
async function withServices<T>(fn: (services: Awaited<ReturnType<typeof openServices>>) => Promise<T>, options: { keysCommand?: boolean } = {}): Promise<T> {
  const cfg = config();
  const [{ openServices }, { createLogger }, { auditChainKey }] = await Promise.all([import("./services"), import("./log"), import("./audit/chain")]);
  const services = await openServices(cfg, { log: createLogger(cfg.logLevel === "info" ? "warn" : cfg.logLevel) });
  try {
    await services.database.migrate();
    if (!options.keysCommand) await auditChainKey(services.database.db, services.secrets);
    return await fn(services);
  } finally {
    await services.close();
  }
}

/** Runs until Ctrl-C / SIGTERM, then stops cleanly. */
async function runUntilSignal(start: (run: typeof startParapet) => ReturnType<typeof startParapet>, banner?: (running: Awaited<ReturnType<typeof startParapet>>) => void) {
  const { startParapet } = await import("./main");
  const running = await start(startParapet);
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
  .action(() => runUntilSignal((startParapet) => startParapet(config(), { migrate: true, demo: config().demo.enabled }), printBanner));

program
  .command("serve")
  .description("Only the web app and API (stateless: run several behind a load balancer). Needs a migrated database.")
  .action(() => runUntilSignal((startParapet) => startParapet(config(), { migrate: false, demo: false, services: ["web"] }), printBanner));

program
  .command("worker")
  .description("Only the background jobs (run one or more next to `serve`). Needs a migrated database.")
  .action(() => runUntilSignal((startParapet) => startParapet(config(), { migrate: false, demo: false, services: ["worker"] })));

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
      const { seedDemo } = await import("./demo/seed-demo");
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
      const [{ inTransaction, unsafeSystemCtx }, { createUser }, { createWorkspace }] = await Promise.all([
        import("./context"),
        import("./domains/identity"),
        import("./domains/workspaces"),
      ]);
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
      const [{ unsafeSystemCtx, withActor }, { createApiToken, findUserByEmail }, { workspacesOf }] = await Promise.all([
        import("./context"),
        import("./domains/identity"),
        import("./domains/workspaces"),
      ]);
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
      const [{ verifyAuditChain }, { auditChainKey }] = await Promise.all([import("./audit/verify"), import("./audit/chain")]);
      const result = await verifyAuditChain(s.database.db, await auditChainKey(s.database.db, s.secrets));
      if (result.ok) console.log(`Audit log intact: ${result.rows} events, chain verified.`);
      else {
        console.error(`AUDIT LOG TAMPERED: ${result.message} (first bad row: #${result.firstBadSeq}; ${result.rows} rows before it verified).`);
        process.exitCode = 1;
      }
    }),
  );

/** One line per sealed column: how many values use the current key, a previous key, or one this server lacks. */
function printSealedValues(check: SealedValuesCheck) {
  console.log(`Current key: ${check.keyId}. Previous keys: ${check.previousKeyIds.join(", ") || "none"}.`);
  for (const c of check.columns) {
    console.log(`  ${c.column.padEnd(32)} ${String(c.current).padStart(6)} current  ${String(c.previous).padStart(6)} on a previous key  ${String(c.unknown).padStart(6)} unreadable`);
  }
}

/** What to do with the previous keys once nothing needs them. */
function previousKeysAdvice(s: { config: Config }, check: SealedValuesCheck, previousKeysFile: string): string {
  if (check.totals.previous > 0) return `${check.totals.previous} value(s) still use a previous key: run \`parapet keys rotate\` (again) before removing it.`;
  if (!check.previousKeyIds.length) return "Every sealed value uses the current key.";
  return [
    "Every sealed value uses the current key: the previous key(s) are no longer needed by this database.",
    `Remove them (PARAPET_PREVIOUS_SECRET_KEYS, or ${s.config.dataDir}/${previousKeysFile}) and restart; keep them with backups taken before the rotation.`,
  ].join("\n");
}

const keys = program.command("keys").description("The server key that seals secrets at rest (channel credentials, MFA secrets, the audit chain key).");
keys
  .command("check")
  .description("Count the sealed values per table and which key they use; exit 1 if some need a key this server was not given.")
  .action(() =>
    withServices(async (s) => {
      const [{ checkSealedValues, sealedValuesUnreadable }, { PREVIOUS_KEYS_FILE }] = await Promise.all([import("./keys/check-sealed-values"), import("./crypto/key-files")]);
      const check = await checkSealedValues(s.database.db, s.secrets);
      printSealedValues(check);
      if (check.totals.unknown > 0) throw sealedValuesUnreadable(check);
      console.log(previousKeysAdvice(s, check, PREVIOUS_KEYS_FILE));
    }, { keysCommand: true }),
  );
keys
  .command("rotate")
  .description(
    "Re-seal every sealed value with the current key, in batches (safe to stop and run again); refuses, changing nothing, if a value needs a key this server was not given. " +
      "With --new-key (key file deployments; stop Parapet first): write a new key file, keep the old key in secret.key.previous, then re-seal. " +
      "With PARAPET_SECRET_KEY, change the key yourself: --new-key prints the steps.",
  )
  .option("--new-key", "make a new key file first (only when the key comes from the data folder's secret.key)")
  .option("--batch-size <n>", "values re-sealed per transaction", "200")
  .action((opts: { newKey?: boolean; batchSize: string }) =>
    withServices(async (s) => {
      const [{ unsafeSystemCtx }, { rotateKeys }, { startKeyFileRotation }, { PREVIOUS_KEYS_FILE }] = await Promise.all([
        import("./context"),
        import("./keys/rotate-keys"),
        import("./keys/start-key-file-rotation"),
        import("./crypto/key-files"),
      ]);
      const batchSize = Number(opts.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new AppError("invalid_input", 400, "--batch-size must be a whole number ≥ 1");
      let services: typeof s = s;
      if (opts.newKey) {
        const previousId = s.secrets.keyId;
        services = { ...s, ...(await startKeyFileRotation(s)) };
        console.log(`New key ${services.secrets.keyId} written to ${s.config.dataDir}/secret.key; the old key ${previousId} is kept in ${s.config.dataDir}/${PREVIOUS_KEYS_FILE}.`);
      }
      console.log(`Re-sealing with key ${services.secrets.keyId} (previous keys: ${services.secrets.previousKeyIds.join(", ") || "none"})…`);
      const result = await rotateKeys(unsafeSystemCtx(services, "cli"), {
        batchSize,
        newKey: opts.newKey ?? false,
        onProgress: ({ column, resealed }) => console.log(`  ${column}: ${resealed} re-sealed…`),
      });
      console.log(`Re-sealed ${result.total} value(s) with key ${result.keyId}:`);
      for (const [column, count] of Object.entries(result.resealed)) console.log(`  ${column.padEnd(32)} ${String(count).padStart(6)}`);
      console.log(previousKeysAdvice(s, result.after, PREVIOUS_KEYS_FILE));
      if (opts.newKey) console.log("Restart every Parapet process that uses this data folder, so they load the new key.");
      else if (!result.after.previousKeyIds.length && result.total === 0)
        console.log("To change the key, see `parapet keys rotate --new-key` or docs/security.md.");
    }, { keysCommand: true }),
  );

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof AppError) {
    console.error(`Error (${err.code}): ${err.message}${err.fields ? `\n${Object.entries(err.fields).map(([f, m]) => `  ${f}: ${m.join("; ")}`).join("\n")}` : ""}`);
    process.exit(err.status === 409 && err.code === "database_in_use" ? 3 : 1);
  }
  console.error(err);
  process.exit(1);
});
