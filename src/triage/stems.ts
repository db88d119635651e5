// Finds every configured keyword in a text in one pass. A keyword is one or more word stems; each stem must
// start a word of the text, in order ("нет горяч вод" matches "нет горячей воды"). One look-up per word prefix
// instead of one substring search per keyword keeps triage fast with thousands of keywords.

interface Entry {
  keyword: string;
  rest: string[];
}

export class StemIndex {
  private readonly first = new Map<string, Entry[]>();
  private maxStem = 0;

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
      const token = tokens[i] as string;
      for (let len = Math.min(token.length, this.maxStem); len >= 1; len--) {
        const entries = this.first.get(len === token.length ? token : token.slice(0, len));
        if (!entries) continue;
        for (const e of entries) if (!found.has(e.keyword) && follows(tokens, i + 1, e.rest)) found.add(e.keyword);
      }
    }
    return found;
  }
}

function follows(tokens: readonly string[], at: number, stems: readonly string[]): boolean {
  for (let j = 0; j < stems.length; j++) if (!tokens[at + j]?.startsWith(stems[j] as string)) return false;
  return true;
}
