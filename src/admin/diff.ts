// A short summary of what an edit changed in a configuration section: the paths that were added, removed or
// changed (as "rules.3.organisation"). Kept in the audit row, so the history says what moved without the whole JSON.

export interface DiffSummary {
  added: string[];
  removed: string[];
  changed: string[];
  /** How many paths differ in all; the lists stop at LIMIT each. */
  count: number;
}

const LIMIT = 40;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function diffSummary(before: unknown, after: unknown): DiffSummary {
  const out: DiffSummary = { added: [], removed: [], changed: [], count: 0 };
  const note = (list: string[], path: string) => {
    out.count++;
    if (list.length < LIMIT) list.push(path || '(root)');
  };
  const walk = (a: unknown, b: unknown, path: string) => {
    const join = (k: string | number) => (path ? `${path}.${k}` : String(k));
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i >= a.length) note(out.added, join(i));
        else if (i >= b.length) note(out.removed, join(i));
        else walk(a[i], b[i], join(i));
      }
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (!(k in a)) note(out.added, join(k));
        else if (!(k in b)) note(out.removed, join(k));
        else walk(a[k], b[k], join(k));
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) note(out.changed, path);
  };
  walk(before, after, '');
  return out;
}
