// Import: messages exported from any other source (a listening tool, a platform Qala has no connector for, an
// old system), as CSV or JSONL, through the same inbox as every channel. Re-importing a file adds nothing: a row's
// id (or, without one, a hash of its text, time and author) is its external id.
import { createHash } from 'node:crypto';
import type { Context } from '../context.js';
import { receive } from '../inbox/intake.js';
import { processNow } from '../pipeline.js';
import { type BadRow, readRows } from '../triage/model/dataset.js';

export interface ImportOptions {
  /** Stored as the message's channel; an export of a channel Qala also listens to may use that channel's name. */
  channel: string;
  textField: string;
  idField: string;
  timeField: string;
  authorField: string;
  /** "public" for posts and comments heard on social networks, "direct" for messages written to the city. */
  audience: 'public' | 'direct';
}

export const DEFAULT_IMPORT: Omit<ImportOptions, 'channel'> = {
  textField: 'text',
  idField: 'id',
  timeField: 'created_at',
  authorField: 'author',
  audience: 'public',
};

export const CHANNEL_NAME = /^[a-z][a-z0-9_-]{1,39}$/;

export interface ImportCounts {
  read: number;
  stored: number;
  repeated: number;
  skipped: number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/** One exported row as an inbound message, or why it cannot be one. */
export function rowToInbound(record: Record<string, unknown>, o: ImportOptions, now = new Date()) {
  const text = str(record[o.textField]);
  if (text === null || !text.trim()) return { error: `no text in field "${o.textField}"` } as const;
  const time = str(record[o.timeField]);
  const at = time ? new Date(/^\d+$/.test(time) ? Number(time) * (time.length <= 10 ? 1000 : 1) : time) : null;
  if (at && Number.isNaN(at.getTime())) return { error: `"${time}" in field "${o.timeField}" is not a time` } as const;
  if (at && at.getTime() > now.getTime() + 86_400_000) return { error: `"${time}" in field "${o.timeField}" is in the future` } as const;
  const author = str(record[o.authorField]);
  const id =
    str(record[o.idField]) ??
    createHash('sha256')
      .update(`${text}\u0000${time ?? ''}\u0000${author ?? ''}`)
      .digest('hex')
      .slice(0, 32);
  return {
    message: {
      channel: o.channel,
      externalId: `import:${id}`,
      text,
      audience: o.audience,
      receivedAt: at ?? now,
      sender: author ? { channelUserId: author } : null,
      raw: { imported: record },
    },
  } as const;
}

/** Imports a file row by row through the inbox and the pipeline; a bad row is reported and skipped. */
export async function importFile(
  ctx: Context,
  file: string,
  o: ImportOptions,
  hooks: { onBad: BadRow; onProgress?: (done: number) => void },
): Promise<ImportCounts> {
  if (!CHANNEL_NAME.test(o.channel)) throw new Error(`--channel must be a short lower-case name like "2gis" or "instagram", not "${o.channel}"`);
  const counts: ImportCounts = { read: 0, stored: 0, repeated: 0, skipped: 0 };
  const onBad: BadRow = (line, reason) => {
    counts.skipped++;
    hooks.onBad(line, reason);
  };
  for await (const { line, record } of readRows(file, onBad)) {
    counts.read++;
    const r = rowToInbound(record, o);
    if ('error' in r) onBad(line, r.error as string);
    else {
      const received = await receive(ctx, r.message);
      if (received.duplicate) counts.repeated++;
      else {
        counts.stored++;
        // Stored already; if a stage fails here, the queued job finishes it when the centre's workers run.
        await processNow(ctx, received.messageId).catch((err) =>
          ctx.log.error({ err, message: received.messageId }, 'import: processing deferred to the queue'),
        );
      }
    }
    hooks.onProgress?.(counts.read + counts.skipped);
  }
  return counts;
}
