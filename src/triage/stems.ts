// Finds every configured keyword in a text in one pass. A keyword is one or more word stems; each stem must
// start a word of the text, in order ("нет горяч вод" matches "нет горячей воды"). One look-up per word prefix
// instead of one substring search per keyword keeps triage fast with thousands of keywords, and the keywords a
// word can start are remembered, because words repeat from message to message.

interface Entry {
  keyword: string;
  rest: string[];
}

const NONE: readonly Entry[] = [];
const MAX_REMEMBERED = 50_000;

export class StemIndex {
  private readonly first = new Map<string, Entry[]>();
  private maxStem = 0;
  // Word → the keywords whose first stem starts it, in the order the prefixes are tried (longest first).
  private readonly byWord = new Map<string, readonly Entry[]>();

  constructor(keywords: Iterable<string>, tokenize: (s: string) => string[]) {
    for (const keyword of keywords) {
      const [head, ...rest] = tokenize(keyword);
      if (!head) continue;
      const list = this.first.get(head) ?? [];
      list.push({ keyword, rest });
      this.first.set(head, list);
      this.maxStem = Math.max(this.maxStem, head.length);
    }
  }

  /** The keywords (as configured) found in already-tokenized text. */
  scan(tokens: readonly string[]): Set<string> {
    const found = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      for (const e of this.startedBy(tokens[i] as string)) {
        if (!found.has(e.keyword) && follows(tokens, i + 1, e.rest)) found.add(e.keyword);
      }
    }
    return found;
  }

  private startedBy(token: string): readonly Entry[] {
    const known = this.byWord.get(token);
    if (known) return known;
    let entries: Entry[] | null = null;
    for (let len = Math.min(token.length, this.maxStem); len >= 1; len--) {
      const list = this.first.get(len === token.length ? token : token.slice(0, len));
      if (list) entries = entries ? entries.concat(list) : list;
    }
    if (this.byWord.size >= MAX_REMEMBERED) this.byWord.clear();
    this.byWord.set(token, entries ?? NONE);
    return entries ?? NONE;
  }
}

function follows(tokens: readonly string[], at: number, stems: readonly string[]): boolean {
  for (let j = 0; j < stems.length; j++) if (!tokens[at + j]?.startsWith(stems[j] as string)) return false;
  return true;
}

/**
 * Ordered lists of keywords (a category's, an urgency level's, a kind's) and which of their keywords a text holds.
 * Asking every list about every keyword costs a look-up per configured keyword; going from the few keywords
 * found to the lists that hold them costs a look-up per found keyword.
 */
export class KeywordLists {
  private readonly where = new Map<string, number[]>();
  private readonly stride: number;

  constructor(private readonly lists: readonly (readonly string[])[]) {
    this.stride = Math.max(1, ...lists.map((l) => l.length));
    lists.forEach((list, l) => {
      list.forEach((keyword, at) => {
        const codes = this.where.get(keyword) ?? [];
        codes.push(l * this.stride + at);
        this.where.set(keyword, codes);
      });
    });
  }

  /**
   * For each list, its keywords that are in `found`, in the list's order (a keyword listed twice counts twice),
   * as `list.filter((k) => found.has(k))` gives them; undefined for a list without any.
   */
  hits(found: ReadonlySet<string>): (string[] | undefined)[] {
    const out: (string[] | undefined)[] = new Array(this.lists.length);
    if (found.size === 0) return out;
    const codes: number[] = [];
    for (const keyword of found) {
      const w = this.where.get(keyword);
      if (w) for (const code of w) codes.push(code);
    }
    if (codes.length > 1) codes.sort((a, b) => a - b);
    for (const code of codes) {
      const l = Math.floor(code / this.stride);
      const keyword = (this.lists[l] as readonly string[])[code - l * this.stride] as string;
      const list = out[l];
      if (list) list.push(keyword);
      else out[l] = [keyword];
    }
    return out;
  }
}
