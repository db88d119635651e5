// Reading a city's labelled history (or texts to triage) from CSV or JSONL, chosen by file extension, streaming.
// CSV follows RFC 4180 (quoted fields, doubled quotes, line breaks inside quotes, CRLF, a leading BOM).
// A bad row is reported with its line number and skipped: one broken export line must not lose a whole history.
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';

export type BadRow = (line: number, reason: string) => void;

export const reportToStderr: BadRow = (line, reason) => {
  process.stderr.write(`line ${line}: skipped, ${reason}\n`);
};

export interface Row {
  /** Line of the file where the row starts (1-based; a CSV header is line 1). */
  line: number;
  record: Record<string, unknown>;
}

export function formatOf(file: string): 'csv' | 'jsonl' {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new Error(`cannot tell the format of ${file}: name it .csv or .jsonl (.ndjson)`);
}

export function readRows(file: string, onBad: BadRow = reportToStderr): AsyncGenerator<Row> {
  return formatOf(file) === 'csv' ? csvRows(file, onBad) : jsonlRows(file, onBad);
}

async function* jsonlRows(file: string, onBad: BadRow): AsyncGenerator<Row> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      onBad(line, `not valid JSON (${(err as Error).message})`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) onBad(line, 'not a JSON object');
    else yield { line, record: value as Record<string, unknown> };
  }
}

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/** Parses CSV text in chunks; `emit` gets each record's fields with its starting line, or a parse error. */
export function csvParser(emit: (line: number, fields: string[] | null, error?: string) => void) {
  let state = FIELD_START;
  let field = '';
  let fields: string[] = [];
  let line = 1;
  let start = 1;
  let error: string | undefined;
  let first = true;
  const end = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !error;
    if (!blank) emit(start, error ? null : fields, error);
    fields = [];
    field = '';
    error = undefined;
    state = FIELD_START;
    start = line;
  };
  return {
    write(chunk: string) {
      if (first) chunk = chunk.replace(/^\uFEFF/, '');
      first = false;
      for (let i = 0; i < chunk.length; i++) {
        // Runs of plain text are taken as one slice: a field built letter by letter is a deep rope of strings
        // that every later read of the text has to walk.
        if (state === QUOTED || state === UNQUOTED) {
          let j = i;
          if (state === QUOTED) while (j < chunk.length && chunk.charCodeAt(j) !== 34) j++;
          else
            while (j < chunk.length) {
              const c = chunk.charCodeAt(j);
              if (c === 44 || c === 10 || c === 13) break; // an unquoted run ends at a comma or a line break
              j++;
            }
          if (j > i) {
            for (let p = i; p < j; p++) if (chunk.charCodeAt(p) === 10) line++;
            field += chunk.slice(i, j);
            i = j;
            if (i === chunk.length) break;
          }
        }
        const ch = chunk[i] as string;
        if (ch === '\n') line++;
        if (state === QUOTED) {
          state = QUOTE_IN_QUOTED; // the run above stopped at a quote
          continue;
        }
        if (state === QUOTE_IN_QUOTED && ch === '"') {
          field += '"';
          state = QUOTED;
          continue;
        }
        if (ch === ',') {
          fields.push(field);
          field = '';
          state = FIELD_START;
        } else if (ch === '\n') end();
        else if (ch === '\r') {
          // CRLF ends a record at the \n; a lone \r is dropped.
        } else if (state === FIELD_START && ch === '"') state = QUOTED;
        else {
          if (state === QUOTE_IN_QUOTED) error ??= 'text after a closing quote';
          field += ch;
          if (state === FIELD_START) state = UNQUOTED;
        }
      }
    },
    close() {
      if (state === QUOTED) emit(start, null, 'a quoted field is never closed');
      else if (field !== '' || fields.length > 0 || error) end();
    },
  };
}

async function* csvRows(file: string, onBad: BadRow): AsyncGenerator<Row> {
  let header: string[] | null = null;
  const ready: Row[] = [];
  const parser = csvParser((line, fields, error) => {
    if (!fields) return onBad(line, error ?? 'malformed CSV');
    if (!header) {
      header = fields.map((f) => f.trim());
      return;
    }
    if (fields.length !== header.length) return onBad(line, `expected ${header.length} fields, found ${fields.length}`);
    const record: Record<string, unknown> = {};
    header.forEach((h, i) => {
      record[h] = fields[i];
    });
    ready.push({ line, record });
  });
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    parser.write(chunk as string);
    yield* ready.splice(0);
  }
  parser.close();
  yield* ready.splice(0);
}

export interface Text {
  line: number;
  /** The row's `id` when it has one, else its line number. */
  id: unknown;
  text: string;
  /** Null when no label field was asked for. */
  label: string | null;
}

export interface TextOptions {
  textField?: string;
  labelField?: string;
  onBad?: BadRow;
}

/** Rows as texts (and labels): a row without a usable text (or label, when one is asked for) is reported. */
export async function* readTexts(file: string, o: TextOptions = {}): AsyncGenerator<Text> {
  const textField = o.textField ?? 'text';
  const onBad = o.onBad ?? reportToStderr;
  let first = formatOf(file) === 'csv';
  for await (const { line, record } of readRows(file, onBad)) {
    // A CSV without the column would report every row: say it once, clearly.
    for (const f of first ? [textField, o.labelField] : [])
      if (f && !(f in record)) throw new Error(`${file} has no column "${f}" (columns: ${Object.keys(record).join(', ')})`);
    first = false;
    const text = scalar(record[textField]);
    if (text === null) {
      onBad(line, textField in record ? `field "${textField}" is not text` : `no field "${textField}"`);
      continue;
    }
    let label: string | null = null;
    if (o.labelField) {
      label = scalar(record[o.labelField])?.trim() ?? null;
      if (!label) {
        onBad(line, `no label in field "${o.labelField}"`);
        continue;
      }
    }
    yield { line, id: record.id ?? line, text, label };
  }
}

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** All labelled texts of a file, for training or evaluation. */
export async function readLabelled(file: string, o: TextOptions & { labelField: string }): Promise<{ text: string; label: string; line: number }[]> {
  const out: { text: string; label: string; line: number }[] = [];
  for await (const t of readTexts(file, o)) out.push({ text: t.text, label: t.label as string, line: t.line });
  return out;
}
