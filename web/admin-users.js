// Staff accounts: the list with filters, a new account (temporary password shown once, or one the admin sets), and
// each account's name, locale, roles (organisation for executor and head, watched account for an official),
// disabling and password reset. The server refuses what the rules forbid and says which field is wrong.
import { clearErrors, field, select, showErrors } from './admin-form.js';
import { api, loadReference, organisations } from './api.js';
import { clear, h, say } from './dom.js';
import { label, lang, localName, t } from './i18n.js';

const ROLES = ['admin', 'supervisor', 'operator', 'executor', 'head', 'official'];
const LOCALES = ['kk', 'ru', 'en'];
let accounts = [];

export async function showUsers(body) {
  const status = h('p', { class: 'form-status', role: 'status', hidden: true });
  const list = h('div', { class: 'table-wrap' });
  const q = h('input', { type: 'search', autocomplete: 'off' });
  const role = select([['', t('admin.users.any_role')], ...ROLES.map((r) => [r, label('role', r)])], '');
  const state = select(
    [
      ['', t('admin.users.any_state')],
      ['false', t('admin.users.active')],
      ['true', t('admin.users.disabled')],
    ],
    '',
  );
  const filters = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      on: {
        submit: (e) => {
          e.preventDefault();
          load();
        },
      },
    },
    field({ label: 'admin.users.search', control: q }),
    field({ label: 'admin.users.role', control: role }),
    field({ label: 'admin.users.state', control: state }),
    h('button', { type: 'submit', class: 'secondary', i18n: 'admin.users.filter' }),
  );
  const editor = h('div', { 'data-user-editor': '' });
  body.append(
    h('h2', { i18n: 'admin.pane.users' }),
    filters,
    status,
    list,
    h(
      'p',
      {},
      h('button', {
        type: 'button',
        class: 'primary',
        'data-new-user': '',
        i18n: 'admin.users.new',
        on: { click: () => openEditor(editor, null, load) },
      }),
    ),
    editor,
  );
  await loadReference();
  accounts = await api('/watchlist')
    .then((w) => w.accounts)
    .catch(() => []);

  async function load() {
    const params = new URLSearchParams();
    if (q.value.trim()) params.set('q', q.value.trim());
    if (role.value) params.set('role', role.value);
    if (state.value) params.set('disabled', state.value);
    try {
      const { users } = await api(`/admin/users?${params}`);
      renderList(list, users, (u) => openEditor(editor, u, load));
      say(status, t('admin.users.count', { n: users.length }));
    } catch (err) {
      showErrors(filters, status, err);
    }
  }
  await load();
}

const orgName = (id) => {
  const o = organisations().find((x) => x.id === id);
  return o ? localName(o.names) : id;
};
const roleText = (m) =>
  `${label('role', m.role)}${m.organisation ? ` · ${orgName(m.organisation)}` : ''}${m.watch_account ? ` · ${m.watch_account}` : ''}`;

function renderList(list, users, onEdit) {
  clear(list).append(
    h(
      'table',
      { class: 'admin-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['admin.users.name', 'admin.users.email', 'admin.users.roles', 'admin.users.locale', 'admin.users.state', 'admin.actions'].map((k) =>
            h('th', { scope: 'col', i18n: k }),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        users.map((u) =>
          h(
            'tr',
            { 'data-user': u.email },
            h('td', {}, u.name),
            h('td', {}, u.email),
            h('td', {}, u.roles.map(roleText).join('; ') || t('none')),
            h('td', {}, label('lang', u.locale)),
            h(
              'td',
              {},
              h('span', { class: `badge ${u.disabled ? 'paused' : ''}`, i18n: u.disabled ? 'admin.users.disabled' : 'admin.users.active' }),
            ),
            h(
              'td',
              {},
              h('button', { type: 'button', class: 'secondary small', on: { click: () => onEdit(u) } }, t('admin.users.edit', { name: u.name })),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The form for a new account (user null) or an existing one. */
function openEditor(box, user, reload) {
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const secret = h('div', { class: 'card temp-password', role: 'status', hidden: true });
  const email = h('input', { type: 'email', autocomplete: 'off', required: true, value: user?.email ?? '', readOnly: Boolean(user) });
  const name = h('input', { autocomplete: 'off', required: true, value: user?.name ?? '' });
  const locale = select(
    LOCALES.map((l) => [l, label('lang', l)]),
    user?.locale ?? lang(),
  );
  const password = h('input', { type: 'password', autocomplete: 'new-password' });
  const disabled = h('input', { type: 'checkbox', id: `dis-${user?.id ?? 'new'}`, checked: Boolean(user?.disabled) });
  const roleRows = ROLES.map((r) =>
    roleRow(
      r,
      user?.roles.find((m) => m.role === r),
    ),
  );
  const form = h(
    'form',
    { class: 'card admin-form', novalidate: true, 'aria-labelledby': 'user-form-h' },
    h('h3', { id: 'user-form-h' }, user ? t('admin.users.editing', { name: user.name }) : t('admin.users.new')),
    h(
      'div',
      { class: 'row' },
      field({ label: 'admin.users.email', control: email, path: 'email' }),
      field({ label: 'admin.users.name', control: name, path: 'name' }),
      field({ label: 'admin.users.locale', control: locale, path: 'locale' }),
    ),
    user ? null : field({ label: 'admin.users.password', control: password, hint: 'admin.users.password.hint', path: 'password' }),
    h(
      'fieldset',
      { class: 'field roles', 'data-path': 'roles' },
      h('legend', { i18n: 'admin.users.roles' }),
      roleRows.map((r) => r.el),
    ),
    user ? h('div', { class: 'field check' }, disabled, h('label', { for: disabled.id, i18n: 'admin.users.disable' })) : null,
    status,
    h(
      'p',
      { class: 'button-row' },
      h('button', { type: 'submit', class: 'primary', i18n: user ? 'admin.save' : 'admin.users.create' }),
      user ? h('button', { type: 'button', class: 'secondary', i18n: 'admin.users.reset', on: { click: reset } }) : null,
      h('button', { type: 'button', class: 'secondary', i18n: 'admin.cancel', on: { click: () => clear(box) } }),
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const checked = roleRows.filter((r) => r.box.checked);
    const roles = checked.map((r) => r.value());
    // The API names a role by its place in the list: roles.1.organisation → that role's organisation select.
    const mapPath = (p) => p.replace(/^roles\.(\d+)/, (_m, i) => `role.${checked[Number(i)]?.role ?? i}`);
    try {
      if (user) {
        await api(`/admin/users/${user.id}`, {
          method: 'PATCH',
          body: { name: name.value, locale: locale.value, disabled: disabled.checked, roles },
        });
        say(status, t('admin.saved'), 'ok');
      } else {
        const body = { email: email.value, name: name.value, locale: locale.value, roles, ...(password.value ? { password: password.value } : {}) };
        const r = await api('/admin/users', { body });
        say(status, t('admin.users.created', { email: r.user.email }), 'ok');
        if (r.temporary_password) showSecret(secret, r.temporary_password);
      }
      await reload();
    } catch (err) {
      showErrors(form, status, err, mapPath);
    }
  });
  async function reset() {
    if (!window.confirm(t('admin.users.reset.confirm', { name: user.name }))) return;
    try {
      const r = await api(`/admin/users/${user.id}/password`, { body: {} });
      showSecret(secret, r.temporary_password);
    } catch (err) {
      showErrors(form, status, err);
    }
  }
  clear(box).append(form, secret);
  (user ? name : email).focus();
}

function showSecret(box, password) {
  clear(box).append(h('p', { i18n: 'admin.users.temporary' }), h('p', { class: 'secret', 'data-temporary-password': '' }, h('code', {}, password)));
  box.hidden = false;
}

function roleRow(role, current) {
  const box = h('input', {
    type: 'checkbox',
    id: `role-${role}-${Math.random().toString(36).slice(2, 7)}`,
    checked: Boolean(current),
    dataset: { role },
  });
  let extra = null;
  if (role === 'executor' || role === 'head')
    extra = select([['', t('admin.users.choose_org')], ...organisations().map((o) => [o.id, localName(o.names)])], current?.organisation ?? '');
  if (role === 'official')
    extra = select([['', t('admin.users.choose_account')], ...accounts.map((a) => [a.id, localName(a.name)])], current?.watch_account ?? '');
  const path = `role.${role}.${role === 'official' ? 'watch_account' : 'organisation'}`;
  const el = h(
    'div',
    { class: 'role-row' },
    h('span', { class: 'check' }, box, h('label', { for: box.id }, label('role', role))),
    extra ? field({ label: role === 'official' ? 'admin.users.account' : 'admin.users.organisation', control: extra, path }) : null,
  );
  return {
    role,
    el,
    box,
    value: () => ({
      role,
      organisation: role === 'executor' || role === 'head' ? extra.value || null : null,
      watch_account: role === 'official' ? extra.value || null : null,
    }),
  };
}
