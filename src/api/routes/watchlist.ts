// Admin routes of the watchlist: the officials' accounts and the hashtags and keywords the centre listens for.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CentrePermission, canCentre } from '../../auth/policies.js';
import { Localized } from '../../config/schema.js';
import type { Context } from '../../context.js';
import { AppError } from '../../errors.js';
import { forgetWatchlist } from '../../inbox/watchlist.js';
import { type Change, commitChange } from '../../outbox/change.js';
import { requireUser, staff } from '../auth.js';

const secured = { security: [{ bearer: [] }], tags: ['watchlist'] };
const Handle = z
  .string()
  .regex(/^@?[A-Za-z0-9_.-]{2,64}$/, 'a handle like akimat_astana or a numeric id')
  .transform((h) => h.replace(/^@/, '').toLowerCase());
const Account = z.object({
  name: Localized,
  title: Localized,
  organisation: z.string().max(100).nullable().default(null),
  handles: z.partialRecord(z.enum(['instagram', 'facebook', 'x', 'vk', 'telegram']), z.array(Handle).max(20)).default({}),
});
const Terms = z.object({
  hashtags: z
    .array(
      z
        .string()
        .regex(/^#?[\p{L}\p{N}_]{2,64}$/u)
        .transform((h) => h.replace(/^#/, '').toLowerCase()),
    )
    .max(200),
  keywords: z.object({ ru: z.array(z.string().min(2).max(64)), kk: z.array(z.string().min(2).max(64)), en: z.array(z.string().min(2).max(64)) }),
});

export const watchlistRoutes =
  (ctx: Context): FastifyPluginAsyncZod =>
  async (app) => {
    app.addHook('preHandler', requireUser(ctx));
    // Each edit is audited, and the next message heard reads the watchlist afresh.
    const edit = <T>(user: { id: number }, fn: (change: Change) => Promise<T>) =>
      commitChange(ctx.db, { type: 'user', id: String(user.id) }, fn).finally(() => forgetWatchlist(ctx.db));
    const allow = (req: Parameters<typeof staff>[0], p: CentrePermission, what: string) => {
      if (!canCentre(staff(req), p)) throw AppError.forbidden(what);
      return staff(req);
    };

    app.get('/watchlist', { schema: { ...secured, summary: 'Watched accounts, hashtags and keywords' } }, async (req) => {
      allow(req, 'watchlist_read', 'read the watchlist');
      const accounts = await ctx.db.selectFrom('watch_accounts').selectAll().where('active', '=', true).orderBy('id').execute();
      const terms = await ctx.db.selectFrom('watch_terms').selectAll().orderBy('kind').orderBy('term').execute();
      return {
        accounts: accounts.map((a) => ({
          id: a.id,
          name: a.name,
          title: a.title,
          organisation: a.organisation_id,
          handles: a.handles,
          source: a.source,
        })),
        hashtags: terms.filter((t) => t.kind === 'hashtag').map((t) => t.term),
        keywords: Object.fromEntries(
          (['ru', 'kk', 'en'] as const).map((l) => [l, terms.filter((t) => t.kind === 'keyword' && t.language === l).map((t) => t.term)]),
        ),
      };
    });

    app.put(
      '/watchlist/accounts/:id',
      {
        schema: {
          ...secured,
          summary: 'Add or change a watched account',
          params: z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/) }),
          body: Account,
        },
      },
      async (req) => {
        const user = allow(req, 'watchlist_edit', 'edit the watchlist');
        const b = req.body;
        if (b.organisation && !ctx.city.organisations.some((o) => o.id === b.organisation))
          throw AppError.validation(`unknown organisation ${b.organisation}`);
        await edit(user, async (change) => {
          const row = {
            name: JSON.stringify(b.name),
            title: JSON.stringify(b.title),
            organisation_id: b.organisation,
            handles: JSON.stringify(b.handles),
            source: 'admin' as const,
            active: true,
          };
          await change.tx
            .insertInto('watch_accounts')
            .values({ id: req.params.id, ...row })
            .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, updated_at: new Date() }))
            .execute();
          change.audit({ action: 'watchlist.account.put', entityType: 'watch_account', entityId: req.params.id, data: b });
        });
        return { id: req.params.id, ...b };
      },
    );

    app.delete(
      '/watchlist/accounts/:id',
      { schema: { ...secured, summary: 'Stop watching an account', params: z.object({ id: z.string().max(64) }) } },
      async (req) => {
        const user = allow(req, 'watchlist_edit', 'edit the watchlist');
        const done = await edit(user, async (change) => {
          // Kept as the admin's (inactive), so the configuration does not bring it back at the next start.
          const r = await change.tx
            .updateTable('watch_accounts')
            .set({ active: false, source: 'admin', updated_at: new Date() })
            .where('id', '=', req.params.id)
            .executeTakeFirst();
          if (r.numUpdatedRows > 0n) change.audit({ action: 'watchlist.account.delete', entityType: 'watch_account', entityId: req.params.id });
          return r.numUpdatedRows > 0n;
        });
        if (!done) throw AppError.notFound('watched account', req.params.id);
        return { id: req.params.id, active: false };
      },
    );

    // An official keeps the handles of their own accounts current, so what residents tag them about reaches them.
    app.get('/me/watch-accounts', { schema: { ...secured, summary: 'The watched accounts that are me (officials)' } }, async (req) => {
      const user = staff(req);
      if (!user.watchAccounts.length) return { accounts: [] };
      const rows = await ctx.db.selectFrom('watch_accounts').selectAll().where('id', 'in', user.watchAccounts).execute();
      return { accounts: rows.map((a) => ({ id: a.id, name: a.name, title: a.title, handles: a.handles })) };
    });

    app.put(
      '/me/watch-accounts/:id',
      {
        schema: {
          ...secured,
          summary: 'Link my accounts on the platforms (officials)',
          params: z.object({ id: z.string().max(64) }),
          body: z.object({ handles: Account.shape.handles }),
        },
      },
      async (req) => {
        const user = staff(req);
        if (!user.watchAccounts.includes(req.params.id)) throw AppError.forbidden(`change watched account ${req.params.id}`);
        await edit(user, async (change) => {
          await change.tx
            .updateTable('watch_accounts')
            .set({ handles: JSON.stringify(req.body.handles), source: 'admin', updated_at: new Date() })
            .where('id', '=', req.params.id)
            .execute();
          change.audit({ action: 'watchlist.account.link', entityType: 'watch_account', entityId: req.params.id, data: req.body });
        });
        return { id: req.params.id, handles: req.body.handles };
      },
    );

    app.put('/watchlist/terms', { schema: { ...secured, summary: 'Replace the watched hashtags and keywords', body: Terms } }, async (req) => {
      const user = allow(req, 'watchlist_edit', 'edit the watchlist');
      const b = req.body;
      await edit(user, async (change) => {
        await change.tx.deleteFrom('watch_terms').execute();
        const rows = [
          ...b.hashtags.map((term) => ({ kind: 'hashtag' as const, language: 'any' as const, term, source: 'admin' as const })),
          ...(['ru', 'kk', 'en'] as const).flatMap((language) =>
            b.keywords[language].map((term) => ({ kind: 'keyword' as const, language, term: term.toLowerCase(), source: 'admin' as const })),
          ),
        ];
        if (rows.length)
          await change.tx
            .insertInto('watch_terms')
            .values(rows)
            .onConflict((oc) => oc.doNothing())
            .execute();
        change.audit({ action: 'watchlist.terms.put', entityType: 'watch_terms', entityId: 'all', data: b });
      });
      return b;
    });
  };
