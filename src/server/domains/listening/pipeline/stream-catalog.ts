import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../../db/client";
import type { StreamChanges } from "./analyse-posts";

type Known = { signature: string; versions: Map<string, string>; checkedAt: number };

/**
 * Which streams of a workspace are active, as the pipeline last compiled them. A cheap signature (how many active
 * streams, their latest update and the sum of their versions) is read at most every `refreshMs` per workspace; only
 * when it changed are the streams read and compared by id and version, and only the differences passed on.
 */
export class StreamCatalog {
  private readonly known = new Map<string, Known>();
  private readonly pending = new Map<string, Promise<StreamChanges | null>>();

  constructor(
    private readonly db: Db,
    private readonly refreshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The changes since the last call for this workspace, or null when there are none (or it is not time to look). */
  changes(workspaceId: string): Promise<StreamChanges | null> {
    const known = this.known.get(workspaceId);
    if (known && this.now() - known.checkedAt < this.refreshMs) return Promise.resolve(null);
    let pending = this.pending.get(workspaceId);
    if (!pending) {
      pending = this.read(workspaceId).finally(() => this.pending.delete(workspaceId));
      this.pending.set(workspaceId, pending);
    }
    return pending;
  }

  private async read(workspaceId: string): Promise<StreamChanges | null> {
    const known = this.known.get(workspaceId);
    const [head] = rowsOf<{ n: number; updated: string | Date | null; versions: string | number | null }>(
      await this.db.execute(sql`
        select count(*)::int as n, max(updated_at) as updated, coalesce(sum(version), 0)::text as versions
        from listening_streams where workspace_id = ${workspaceId} and archived_at is null`),
    );
    const signature = `${head?.n ?? 0}|${head?.updated instanceof Date ? head.updated.toISOString() : String(head?.updated ?? "")}|${head?.versions ?? 0}`;
    if (known && known.signature === signature) {
      known.checkedAt = this.now();
      return null;
    }
    const rows = rowsOf<{ id: string; query: string; version: number }>(
      await this.db.execute(sql`
        select id, query, version from listening_streams where workspace_id = ${workspaceId} and archived_at is null`),
    );
    const versions = new Map<string, string>();
    const upsert: StreamChanges["upsert"] = [];
    for (const row of rows) {
      // The query text is part of the version key: an edit that forgot to bump the version still recompiles.
      const version = `${row.version}:${row.query}`;
      versions.set(row.id, version);
      if (known?.versions.get(row.id) !== version) upsert.push({ id: row.id, query: row.query });
    }
    const remove = known ? [...known.versions.keys()].filter((id) => !versions.has(id)) : [];
    this.known.set(workspaceId, { signature, versions, checkedAt: this.now() });
    return upsert.length || remove.length || !known ? { workspaceId, upsert, remove } : null;
  }
}
