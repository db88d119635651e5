// Staff routes for a ticket's internal notes: write a comment or attach photos from the site (JSON with base64
// photos, or multipart/form-data), and fetch a note's photo. Registered inside ticketRoutes, so every route here
// needs a logged-in staff user; the notes themselves are never part of a resident's or the public's view.
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../auth/policies.js';
import { APPEAL_BODY_LIMIT, Photo } from '../../channels/web.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { addNote, MAX_NOTE_PHOTO_BYTES, MAX_NOTE_PHOTOS, MAX_NOTE_TEXT, type NoteInput, noteFile } from '../../tickets/notes.js';
import { TICKET_NUMBER } from '../../tickets/numbers.js';
import { addressedTo, findTicket } from '../../tickets/repository.js';
import { staff } from '../auth.js';

const Number_ = z.object({ number: z.string().regex(TICKET_NUMBER, 'a ticket number like AST-2026-000123') });
const secured = { security: [{ bearer: [] }], tags: ['tickets'] };

/** The JSON form of a note; the multipart form carries the same fields (`text`, and files named `photos`). */
export const NoteBody = z
  .object({
    text: z.string().max(MAX_NOTE_TEXT).optional(),
    photos: z.array(Photo).max(MAX_NOTE_PHOTOS, `at most ${MAX_NOTE_PHOTOS} photos`).optional(),
  })
  .strict();

export const photoInputs = (photos: z.infer<typeof Photo>[] | undefined) =>
  (photos ?? []).map((p) => ({ contentType: p.content_type, filename: p.filename, bytes: Buffer.from(p.data, 'base64') }));

async function readNote(req: FastifyRequest): Promise<NoteInput> {
  if (!req.isMultipart()) {
    const body = NoteBody.safeParse(req.body ?? {});
    if (!body.success)
      throw AppError.validation(
        'the note is not valid',
        body.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      );
    return { text: body.data.text, photos: photoInputs(body.data.photos) };
  }
  const out: NoteInput = { photos: [] };
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'photos') throw AppError.validation(`unexpected file field ${part.fieldname}`);
      out.photos?.push({ contentType: part.mimetype, filename: part.filename, bytes: await part.toBuffer() });
    } else if (part.fieldname === 'text') {
      if (typeof part.value !== 'string' || part.value.length > MAX_NOTE_TEXT) throw AppError.validation('text is too long');
      out.text = part.value;
    } else throw AppError.validation(`unexpected field ${part.fieldname}`);
  }
  return out;
}

export const ticketNoteRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    // Busboy stops at these limits; a larger file is refused with 413 before it is held in memory.
    await app.register(multipart, { limits: { fileSize: MAX_NOTE_PHOTO_BYTES, files: MAX_NOTE_PHOTOS, fields: 4, fieldSize: MAX_NOTE_TEXT * 4 } });

    app.post(
      '/tickets/:number/notes',
      {
        bodyLimit: APPEAL_BODY_LIMIT,
        schema: {
          ...secured,
          summary: 'Add an internal note: a comment and/or photos (JSON with base64 photos, or multipart with files "photos")',
          params: Number_,
        },
      },
      async (req, reply) => {
        const input = await readNote(req);
        const id = await addNote(ctx, staff(req), req.params.number, input);
        return reply.status(201).send({ id });
      },
    );

    app.get(
      '/tickets/:number/files/:id',
      {
        schema: {
          ...secured,
          summary: 'One photo of a ticket’s internal notes',
          params: Number_.extend({ id: z.coerce.number().int().positive() }),
        },
      },
      async (req, reply) => {
        const user = staff(req);
        const t = await findTicket(ctx.db, req.params.number);
        if (!t) throw AppError.notFound('ticket', req.params.number);
        if (!can(user, 'read_notes', { ...t, addressed_to: await addressedTo(ctx.db, t.source_message_id) }))
          throw AppError.forbidden(`read the notes of ticket ${t.number}`);
        const f = await noteFile(ctx.db, t.id, req.params.id);
        if (!f) throw AppError.notFound('file', String(req.params.id));
        // Only sniffed images are stored; served as such, never sniffed again by the browser, and kept out of caches.
        return reply
          .header('content-type', f.content_type)
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', `inline; filename="${encodeURIComponent(f.filename ?? `photo-${f.id}`)}"`)
          .header('etag', `"${f.sha256}"`)
          .send(f.bytes);
      },
    );
  };
