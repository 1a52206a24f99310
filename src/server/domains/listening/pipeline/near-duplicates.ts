/**
 * Near-duplicates (copy-paste spam): a post whose fingerprint (normalised words without links and handles) was seen
 * in the same workspace within a window, under another network id, is a near-duplicate. The memory is bounded: the
 * oldest fingerprints are forgotten first when it is full, and a fingerprint seen again is remembered anew.
 */
export class NearDuplicates {
  private readonly seen = new Map<string, { postKey: string; at: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly capacity: number,
    /** Texts with fewer words than this are never near-duplicates ("thanks!", "same"). */
    private readonly minWords = 4,
  ) {}

  /** Whether this post is a near-duplicate of one seen before in the window; remembers it either way. */
  check(workspaceId: string, fingerprint: number, words: number, postKey: string, at: Date): boolean {
    if (words < this.minWords) return false;
    const key = `${workspaceId}:${fingerprint}`;
    const time = at.getTime();
    const earlier = this.seen.get(key);
    if (earlier) {
      this.seen.delete(key);
      const duplicate = earlier.postKey !== postKey && time - earlier.at <= this.windowMs;
      // A replay of the very post keeps its first sighting; anything else starts the window anew.
      this.seen.set(key, duplicate || earlier.postKey === postKey ? { postKey: earlier.postKey, at: duplicate ? time : earlier.at } : { postKey, at: time });
      return duplicate;
    }
    this.seen.set(key, { postKey, at: time });
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return false;
  }

  get size(): number {
    return this.seen.size;
  }
}
