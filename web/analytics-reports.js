// #/analytics/reports: the archive of daily digests (PDF and XLSX, Kazakh and Russian), building a day's digest now,
// and downloading any of them. Files are fetched with the session's token and handed to the browser as a download.
import { api, errorText, session } from './api.js';
import { clear, h, say } from './dom.js';
import { formatDateTime, t } from './i18n.js';

const state = { container: null, offset: null };

async function download(r) {
  const res = await fetch(`/api/v1/analytics/reports/${r.id}`, { headers: { authorization: `Bearer ${session.token}` } });
  if (!res.ok) return;
  const url = URL.createObjectURL(await res.blob());
  h('a', { href: url, download: r.filename }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Yesterday in the city (its UTC offset from GET /districts), not in the browser's time zone. */
function yesterday() {
  const d = new Date(Date.now() - 86_400_000 + (state.offset ?? 0) * 60_000);
  return d.toISOString().slice(0, 10);
}

function buildForm() {
  const date = h('input', { type: 'date', name: 'date', value: yesterday(), required: true });
  const status = h('p', { class: 'status', role: 'status', hidden: true });
  const form = h(
    'form',
    { class: 'reports-build' },
    h('label', { class: 'field' }, h('span', {}, t('reports.date')), date),
    h('button', { type: 'submit' }, t('reports.build')),
    status,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    say(status, t('reports.building'));
    try {
      const r = await api('/analytics/reports', { body: { date: date.value } });
      say(status, t('reports.built', { n: r.reports.length, date: r.date }));
      await list();
    } catch (err) {
      say(status, errorText(err), 'error');
    }
  });
  return form;
}

async function list() {
  const box = state.container?.querySelector('.reports-archive');
  if (!box) return;
  clear(box);
  let data;
  try {
    data = await api('/analytics/reports');
  } catch (err) {
    return box.append(h('p', { class: 'error' }, errorText(err)));
  }
  box.append(
    h(
      'p',
      {},
      t(data.schedule.enabled ? 'reports.schedule' : 'reports.schedule.off', { at: data.schedule.at, languages: data.schedule.languages.join(', ') }),
    ),
  );
  if (!data.reports.length) return box.append(h('p', {}, t('reports.none')));
  box.append(
    h(
      'table',
      { class: 'table' },
      h('caption', {}, t('reports.archive')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['reports.col.date', 'reports.col.language', 'reports.col.format', 'reports.col.built', 'reports.col.file'].map((k) =>
            h('th', { scope: 'col' }, t(k)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...data.reports.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, r.date),
            h('td', {}, t(`reports.language.${r.language}`)),
            h('td', {}, r.format.toUpperCase()),
            h('td', {}, `${formatDateTime(r.created_at)} · ${t(`reports.by.${r.built_by}`)}`),
            h(
              'td',
              {},
              h(
                'button',
                { type: 'button', class: 'link', on: { click: () => download(r) } },
                t('reports.download_size', { kb: Math.max(1, Math.round(r.size / 1024)) }),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

export async function render(container) {
  state.container = container;
  if (state.offset === null) {
    try {
      state.offset = (await api('/districts')).utc_offset_minutes ?? 0;
    } catch {
      // the browser's UTC day, until the city's offset is known
    }
  }
  clear(container);
  container.append(h('p', { class: 'lead' }, t('reports.lead')), buildForm(), h('div', { class: 'reports-archive' }));
  await list();
}

export function relocalize() {
  if (state.container) render(state.container);
}
