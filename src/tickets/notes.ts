// The organisation's working papers on a ticket: internal comments, photos from the site, the proof of a fix, the
// question put to the resident and the reason for a hand-back. Notes are staff-only: no resident, public page or
// Open311 answer reads this table. Photos are checked by their first bytes, not by the name the client gave them,
// so nothing but an image is ever stored or served back.
import { createHash } from 'node:crypto';
import type { StaffUser } from '../auth/policies.js';
import { can } from '../auth/policies.js';
import type { City } from '../config/load.js';
import type { Context } from '../context.js';
import { AppError } from '../errors.js';
import { type Actor, type Change, commitChange } from '../outbox/change.js';
import type { Database } from '../store/db.js';
import type { TicketNoteKind } from '../store/schema.js';

export const MAX_NOTE_PHOTOS = 5;
export const MAX_NOTE_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_NOTE_TEXT = 4000;

/** Executors and heads do the field work; when the city asks for it, their fix needs a photo. Operators and admins
 * resolving on the phone (an answered question, a duplicate report) do not. */
export function proofRequired(city: City, user: StaffUser): boolean {
  return city.city.resolve_requires_proof && !user.roles.some((r) => r === 'admin' || r === 'operator');
}

export interface PhotoInput {
  contentType: string;
  filename?: string | undefined;
  bytes: Buffer;
}

/** The image type the bytes really are (JPEG, PNG, WebP or HEIC), or null for anything else. */
export function sniffImage(b: Buffer): string | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp' && /^(hei[cxms]|hev[cx]|mif1|msf1)$/.test(b.toString('latin1', 8, 12)))
    return 'image/heic';
  return null;
}

/** Checks count, size and type; returns the photos with the type their bytes show. */
export function checkPhotos(photos: readonly PhotoInput[]): PhotoInput[] {
  if (photos.length > MAX_NOTE_PHOTOS) throw AppError.validation(`at most ${MAX_NOTE_PHOTOS} photos`);
  return photos.map((p, i) => {
    if (p.bytes.length === 0) throw AppError.validation(`photo ${i + 1} is empty`, [{ path: ['photos', i], message: 'empty' }]);
    if (p.bytes.length > MAX_NOTE_PHOTO_BYTES) throw new AppError('payload_too_large', `photo ${i + 1} is larger than 5 MB`);
    const type = sniffImage(p.bytes);
    if (!type) throw AppError.validation(`photo ${i + 1} is not a JPEG, PNG, WebP or HEIC image`, [{ path: ['photos', i], message: 'not an image' }]);
    return { contentType: type, filename: p.filename?.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200), bytes: p.bytes };
  });
}

/** Writes a note and its photos inside the caller's change; returns the note's id. Photos must be checked first. */
export async function writeNote(
  change: Change,
  note: { ticketId: number; authorUserId: number | null; kind: TicketNoteKind; text: string | null; at: Date; photos?: PhotoInput[] },
): Promise<number> {
  const row = await change.tx
    .insertInto('ticket_notes')
    .values({ ticket_id: note.ticketId, author_user_id: note.authorUserId, kind: note.kind, text: note.text, created_at: note.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const p of note.photos ?? []) {
    await change.tx
      .insertInto('ticket_note_files')
      .values({
        note_id: row.id,
        content_type: p.contentType,
        filename: p.filename ?? null,
        size: p.bytes.length,
        sha256: createHash('sha256').update(p.bytes).digest('hex'),
        bytes: p.bytes,
      })
      .onConflict((oc) => oc.columns(['note_id', 'sha256']).doNothing())
      .execute();
  }
  return row.id;
}

export interface NoteInput {
  text?: string | undefined;
  photos?: PhotoInput[] | undefined;
}

/** An internal comment, with photos from the site if any. Comments need `comment`, photos need `attach` as well. */
export async function addNote(ctx: Context, user: StaffUser, number: string, input: NoteInput) {
  const text = input.text?.trim() ? input.text.trim().slice(0, MAX_NOTE_TEXT) : null;
  const photos = checkPhotos(input.photos ?? []);
  if (!text && photos.length === 0) throw AppError.validation('a note needs words or a photo');
  const actor: Actor = { type: 'user', id: String(user.id) };
  return commitChange(ctx.db, actor, async (change) => {
    const t = await change.tx.selectFrom('tickets').select(['id', 'number', 'organisation_id']).where('number', '=', number).executeTakeFirst();
    if (!t) throw AppError.notFound('ticket', number);
    if (text && !can(user, 'comment', t)) throw AppError.forbidden(`comment on ticket ${number}`);
    if (photos.length && !can(user, 'attach', t)) throw AppError.forbidden(`attach photos to ticket ${number}`);
    const kind: TicketNoteKind = photos.length ? 'photo' : 'comment';
    const id = await writeNote(change, { ticketId: t.id, authorUserId: user.id, kind, text, at: ctx.now(), photos });
    // The text stays in the note; the audit says that one was written, by whom, and how many photos it holds.
    change.audit({ action: 'ticket.note', entityType: 'ticket', entityId: number, data: { note_id: id, kind, photos: photos.length } });
    return id;
  });
}

export interface NoteView {
  id: number;
  kind: TicketNoteKind;
  text: string | null;
  created_at: Date;
  author: { id: number; name: string } | null;
  files: { id: number; content_type: string; filename: string | null; size: number }[];
}

/** A ticket's notes, oldest first, with their files' descriptions (never their bytes). */
export async function notesOf(db: Database, ticketId: number): Promise<NoteView[]> {
  const notes = await db
    .selectFrom('ticket_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .select(['n.id', 'n.kind', 'n.text', 'n.created_at', 'n.author_user_id', 'u.name as author_name'])
    .where('n.ticket_id', '=', ticketId)
    .orderBy('n.id')
    .execute();
  if (!notes.length) return [];
  const files = await db
    .selectFrom('ticket_note_files')
    .select(['id', 'note_id', 'content_type', 'filename', 'size'])
    .where(
      'note_id',
      'in',
      notes.map((n) => n.id),
    )
    .orderBy('id')
    .execute();
  return notes.map((n) => ({
    id: n.id,
    kind: n.kind,
    text: n.text,
    created_at: n.created_at,
    author: n.author_user_id !== null ? { id: n.author_user_id, name: n.author_name ?? '' } : null,
    files: files.filter((f) => f.note_id === n.id).map(({ note_id: _n, ...f }) => f),
  }));
}

/** One file of one of this ticket's notes (a file id of another ticket is "not found"). */
export function noteFile(db: Database, ticketId: number, fileId: number) {
  return db
    .selectFrom('ticket_note_files as f')
    .innerJoin('ticket_notes as n', 'n.id', 'f.note_id')
    .select(['f.id', 'f.content_type', 'f.filename', 'f.bytes', 'f.sha256'])
    .where('n.ticket_id', '=', ticketId)
    .where('f.id', '=', fileId)
    .executeTakeFirst();
}
