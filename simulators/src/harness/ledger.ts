/**
 * Every post any simulator created, in one place: the chaos test and the bench count duplicates
 * here (the same text twice on one account), independently of what the server believes.
 */
export interface LedgerPost {
  network: string;
  account: string;
  id: string;
  text: string;
  createdAt: number;
  deletedAt?: number;
  /** How the post came to exist: `create`, or `idempotent-replay` is never recorded twice. */
  kind: string;
  /**
   * SHA-256 (hex) of each picture or video the post carries, of the bytes as they arrived (uploaded,
   * or fetched from the URL the network was given): tests prove which bytes went out, and once.
   */
  media?: string[];
}

export interface DuplicateGroup {
  network: string;
  account: string;
  text: string;
  ids: string[];
}

export class PostLedger {
  private posts: LedgerPost[] = [];

  record(post: Omit<LedgerPost, 'kind'> & { kind?: string }): void {
    this.posts.push({ kind: 'post', ...post });
  }

  markDeleted(network: string, id: string, at: number): void {
    for (const post of this.posts) if (post.network === network && post.id === id && post.deletedAt === undefined) post.deletedAt = at;
  }

  list(network?: string): LedgerPost[] {
    return this.posts.filter((post) => network === undefined || post.network === network);
  }

  /** Posts with identical text on the same account, deleted ones included (a duplicate went out). */
  duplicates(network?: string): DuplicateGroup[] {
    const groups = new Map<string, DuplicateGroup>();
    for (const post of this.list(network)) {
      const key = `${post.network}\u0000${post.account}\u0000${post.text}`;
      const group = groups.get(key) ?? { network: post.network, account: post.account, text: post.text, ids: [] };
      group.ids.push(post.id);
      groups.set(key, group);
    }
    return [...groups.values()].filter((group) => group.ids.length > 1);
  }

  clear(network?: string): void {
    this.posts = network === undefined ? [] : this.posts.filter((post) => post.network !== network);
  }
}
