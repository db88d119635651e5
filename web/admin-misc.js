// Two admin panes that are not configuration sections: the watchlist (through its own API, src/api/routes/
// watchlist.ts: accounts listed, hashtags and keywords edited) and the channels' state, read-only because the
// channels' secrets live in the environment or the secrets file, never in the database.
import { clearErrors, field, showErrors } from './admin-form.js';
import { api, errorText } from './api.js';
import { clear, h, say } from './dom.js';
import { localName, t } from './i18n.js';

const words = (s) =>
  s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

export async function showWatchlist(body) {
  const status = h('p', { class: 'form-status', role: 'status', hidden: true });
  body.append(h('h2', { i18n: 'admin.pane.watchlist' }), status);
  let w;
  try {
    w = await api('/watchlist');
  } catch (err) {
    return say(status, errorText(err), 'error');
  }
  const accounts = h(
    'table',
    { class: 'admin-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['admin.col.id', 'admin.col.name', 'admin.watch.title', 'admin.watch.handles'].map((k) => h('th', { scope: 'col', i18n: k })),
      ),
    ),
    h(
      'tbody',
      {},
      w.accounts.map((a) =>
        h(
          'tr',
          {},
          h('td', {}, a.id),
          h('td', {}, localName(a.name)),
          h('td', {}, localName(a.title)),
          h(
            'td',
            {},
            Object.entries(a.handles ?? {})
              .map(([p, hs]) => `${p}: ${hs.join(', ')}`)
              .join('; ') || '—',
          ),
        ),
      ),
    ),
  );
  const hashtags = h('textarea', { rows: 2 });
  hashtags.value = w.hashtags.map((x) => `#${x}`).join(', ');
  const kw = Object.fromEntries(
    ['ru', 'kk', 'en'].map((l) => {
      const area = h('textarea', { rows: 2, lang: l });
      area.value = (w.keywords[l] ?? []).join(', ');
      return [l, area];
    }),
  );
  const form = h(
    'form',
    { class: 'card admin-form', novalidate: true },
    h('h3', { i18n: 'admin.watch.terms' }),
    field({ label: 'admin.watch.hashtags', control: hashtags, hint: 'admin.watch.list_hint', path: 'hashtags', wide: true }),
    h(
      'div',
      { class: 'template-langs' },
      ['ru', 'kk', 'en'].map((l) => field({ label: `admin.watch.keywords.${l}`, control: kw[l], path: `keywords.${l}` })),
    ),
    h('p', { class: 'button-row' }, h('button', { type: 'submit', class: 'primary', i18n: 'admin.save' })),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      await api('/watchlist/terms', {
        method: 'PUT',
        body: { hashtags: words(hashtags.value), keywords: Object.fromEntries(Object.entries(kw).map(([l, a]) => [l, words(a.value)])) },
      });
      say(status, t('admin.saved'), 'ok');
    } catch (err) {
      showErrors(form, status, err);
    }
  });
  body.append(h('h3', { i18n: 'admin.watch.accounts' }), h('div', { class: 'table-wrap' }, accounts), form);
}

export async function showChannels(body) {
  const status = h('p', { class: 'form-status', role: 'status', hidden: true });
  body.append(h('h2', { i18n: 'admin.pane.channels' }), h('p', { class: 'lead', i18n: 'admin.channels.intro' }), status);
  let r;
  try {
    r = await api('/admin/channels');
  } catch (err) {
    return say(status, errorText(err), 'error');
  }
  const rows = r.channels.map((c) =>
    h(
      'tr',
      { 'data-channel': c.channel },
      h('th', { scope: 'row' }, t(`channel.${c.channel}`) === `channel.${c.channel}` ? c.channel : t(`channel.${c.channel}`)),
      h('td', {}, h('span', { class: `badge ${c.on ? 'on' : 'off'}`, i18n: c.on ? 'admin.channels.on' : 'admin.channels.off' })),
      h(
        'td',
        {},
        c.settings.length
          ? h(
              'ul',
              { class: 'settings' },
              c.settings.map((s) =>
                h(
                  'li',
                  {},
                  h('code', {}, s.name),
                  ' ',
                  s.set ? (s.value !== null ? s.value : t('admin.channels.set_secret')) : t('admin.channels.unset'),
                ),
              ),
            )
          : t('admin.channels.builtin'),
      ),
    ),
  );
  clear(status);
  body.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'admin-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['admin.channels.channel', 'admin.channels.state', 'admin.channels.settings'].map((k) => h('th', { scope: 'col', i18n: k })),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
  );
}
