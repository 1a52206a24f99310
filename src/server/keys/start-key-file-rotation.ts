import type { Services } from "../context";
import { AppError } from "../errors";
import { loadSecretKeys, replaceKeyFile } from "../crypto/key-files";
import { SecretBox } from "../crypto/secrets";
import { auditChainKey } from "../audit/chain";
import { checkSealedValues, sealedValuesUnreadable } from "./check-sealed-values";

/** `--new-key` asked of a server whose key comes from the environment: Parapet cannot change it; these are the steps. */
export const secretKeyInEnvironment = () =>
  new AppError(
    "secret_key_in_environment",
    409,
    [
      "This server's key comes from PARAPET_SECRET_KEY, which Parapet cannot change for you. Nothing was changed. To rotate it:",
      "  1. Make a new key: openssl rand -base64 32",
      "  2. Set PARAPET_SECRET_KEY to the new key, and put the old one in PARAPET_PREVIOUS_SECRET_KEYS (comma-separated if there are several), on every Parapet process.",
      "  3. Restart every process (they now seal with the new key and still open what the old one sealed).",
      "  4. Run: parapet keys rotate   (re-seals everything with the new key; safe to run again)",
      "  5. When `parapet keys check` reports nothing on a previous key, remove PARAPET_PREVIOUS_SECRET_KEYS and restart. Keep the old key with backups taken before the rotation.",
    ].join("\n"),
  );

/**
 * The key-file deployment's first half of `parapet keys rotate --new-key`: checks that every sealed value opens
 * (changing nothing if not), makes sure the audit chain key is stored under the old key, then writes a new key file
 * keeping the old key in `secret.key.previous`. Returns the services as they are with the new key, for `rotateKeys`.
 */
export async function startKeyFileRotation(services: Services): Promise<Services> {
  const { config, database, secrets } = services;
  if (config.secretKey) throw secretKeyInEnvironment();
  const check = await checkSealedValues(database.db, secrets);
  if (check.totals.unknown > 0) throw sealedValuesUnreadable(check);
  await auditChainKey(database.db, secrets);
  replaceKeyFile(config.dataDir);
  const keys = loadSecretKeys(config.secretKey, config.previousSecretKeys, config.dataDir);
  return { ...services, secrets: new SecretBox(keys.current, keys.previous) };
}
