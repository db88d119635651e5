// Field-by-field editors of configuration sections for administrators who are not programmers: organisations and
// categories as tables of rows, SLA targets as a category × urgency grid of durations, calendars as lists of dates,
// routing rules as an ordered list. Each edits the section's value in the shape of its file (what the JSON editor
// sends; fields a form does not show are kept as loaded) and saves it through the same PUT; the server's problems,
// named by path, are put next to the field of that path (admin-form.js).
import { clearErrors, showErrors } from './admin-form.js';
import { ApiError, api, categories, organisations } from './api.js';
import { clear, h, say } from './dom.js';
import { label, localName, t } from './i18n.js';

const LANGS = ['ru', 'kk', 'en'];
const KINDS = ['centre', 'department', 'district_akimat', 'utility', 'lift_company', 'housing', 'contractor'];
const URGENCIES = [null, 'critical', 'high', 'normal', 'low'];
const UNITS = ['hours', 'working_hours', 'working_days'];

/**
 * The form for a section, or null when the section is edited as JSON only.
 * `host`: { saved() after a successful save, revert: a function, or null when the file applies }.
 */
export async function sectionForm(section, value, host) {
  const make = EDITORS[section];
  if (!make) return null;
  const model = structuredClone(value);
  const editor = await make(model);
  const body = h('div', { class: 'section-form-body' });
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'primary', i18n: 'admin.save' });
  const form = h(
    'form',
    { class: 'card admin-form section-form', 'data-section-form': section, novalidate: true },
    body,
    status,
    h(
      'p',
      { class: 'button-row sticky-actions' },
      save,
      host.revert ? h('button', { type: 'button', class: 'secondary', i18n: 'admin.config.revert', on: { click: host.revert } }) : null,
    ),
  );
  /** Draws the form from the model again (after a row is added, removed or moved), focusing `focus` if given. */
  const draw = (focus) => {
    clear(body).append(...editor.render(draw));
    if (focus) body.querySelector(focus)?.focus();
  };
  draw();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    editor.tidy?.();
    draw();
    clearErrors(form);
    say(status, '');
    save.disabled = true;
    try {
      await api(`/admin/config/${section}`, { method: 'PUT', body: { value: model } });
      await host.saved();
    } catch (err) {
      // An editor may re-address problems the server names elsewhere (another section, a row it has left out).
      if (editor.placeDetails && err instanceof ApiError && err.details.length) {
        err.details = editor.placeDetails(err.details);
        draw();
      }
      showErrors(form, status, err, editor.mapPath);
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

// ── Small controls bound to the model ─────────────────────────────────────────────────────────────────────────────

/** Sets an optional key, or removes it when the value is empty (the file leaves it out). */
function setOptional(obj, key, v) {
  if (v === '' || v === undefined || v === null) delete obj[key];
  else obj[key] = v;
}

function input(props, value, write) {
  const el = h('input', { autocomplete: 'off', ...props });
  el.value = value ?? '';
  el.addEventListener('input', () => write(el.value));
  return el;
}

/** A select of [value, text] options; a value the options lack (a code the file names) is kept as its own option. */
function choice(props, options, value, write) {
  const v = value ?? '';
  const all = options.some(([o]) => o === v) ? options : [...options, [v, v]];
  const el = h(
    'select',
    props,
    all.map(([o, text]) => h('option', { value: o, selected: o === v }, text)),
  );
  el.addEventListener('change', () => write(el.value));
  return el;
}

const number = (s) => (String(s).trim() === '' ? null : Number(s));

/** A small button with a symbol for the eye and a sentence for the ear. */
function iconButton(symbol, name, onClick, data = {}) {
  return h('button', { type: 'button', class: 'secondary small icon', 'aria-label': name, title: name, on: { click: onClick }, ...data }, symbol);
}

/** A table with column headers; each row's cells are labelled by their column header and the row's number. */
function grid(prefix, columns, rows) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'admin-table form-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', id: `${prefix}-h-n` }, '№'),
          columns.map(([key, text]) => h('th', { scope: 'col', id: `${prefix}-h-${key}` }, text)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/** The ids that name a cell's control: its column and its row. */
const labelled = (prefix, key, i) => ({ 'aria-labelledby': `${prefix}-h-${key} ${prefix}-r-${i}` });
const rowHead = (prefix, i) => h('th', { scope: 'row', id: `${prefix}-r-${i}` }, String(i + 1));

// ── Organisations ─────────────────────────────────────────────────────────────────────────────────────────────────

function organisationsEditor(model) {
  const list = model.organisations;
  // Ids already in force are read-only: tickets, users and rules refer to them.
  const existing = new WeakSet(list);
  const columns = [
    ['id', t('admin.col.id')],
    ...LANGS.map((l) => [`name-${l}`, t('admin.org.name', { lang: t(`language.${l}`) })]),
    ['kind', t('admin.col.kind')],
    ['parent', t('admin.col.parent')],
    ['remove', t('admin.actions')],
  ];
  const parents = (self) => [['', '—'], ...list.filter((o) => o !== self && o.id).map((o) => [o.id, `${localName(o.name) || o.id} (${o.id})`])];
  return {
    render(draw) {
      const rows = list.map((o, i) => {
        const at = `organisations.${i}`;
        o.name ??= { ru: '', kk: '', en: '' };
        const id = existing.has(o)
          ? h('code', {}, o.id)
          : input({ ...labelled('org', 'id', i), 'data-path': `${at}.id`, spellcheck: 'false', size: 14 }, o.id, (v) => {
              o.id = v.trim();
            });
        return h(
          'tr',
          { 'data-org': o.id ?? '' },
          rowHead('org', i),
          h('td', {}, id),
          LANGS.map((l) =>
            h(
              'td',
              {},
              input({ ...labelled('org', `name-${l}`, i), 'data-path': `${at}.name.${l}`, lang: l }, o.name[l], (v) => {
                o.name[l] = v.trim();
              }),
            ),
          ),
          h(
            'td',
            {},
            choice(
              { ...labelled('org', 'kind', i), 'data-path': `${at}.kind` },
              KINDS.map((k) => [k, t(`admin.org.kind.${k}`)]),
              o.kind,
              (v) => {
                o.kind = v;
              },
            ),
          ),
          h(
            'td',
            {},
            choice({ ...labelled('org', 'parent', i), 'data-path': `${at}.parent` }, parents(o), o.parent, (v) => setOptional(o, 'parent', v)),
          ),
          h(
            'td',
            {},
            iconButton('×', t('admin.org.remove', { name: localName(o.name) || o.id || String(i + 1) }), () => {
              list.splice(i, 1);
              draw('[data-add-org]');
            }),
          ),
        );
      });
      return [
        h('p', { class: 'hint', i18n: 'admin.org.hint' }),
        grid('org', columns, rows),
        h(
          'p',
          {},
          h('button', {
            type: 'button',
            class: 'secondary',
            'data-add-org': '',
            i18n: 'admin.org.add',
            on: {
              click: () => {
                list.push({ id: '', kind: 'contractor', name: { ru: '', kk: '', en: '' } });
                draw(`[data-path="organisations.${list.length - 1}.id"]`);
              },
            },
          }),
        ),
      ];
    },
  };
}

// ── SLA targets ───────────────────────────────────────────────────────────────────────────────────────────────────

const unitOf = (d) => UNITS.find((u) => d && u in d) ?? 'hours';

function slaEditor(model) {
  model.working_hours ??= { start: '09:00', end: '18:00' };
  const targets = model.targets;
  const known = categories().map((c) => c.code);
  const rows = ['*', ...known, ...targets.map((x) => x.category).filter((c) => c !== '*' && !known.includes(c))];
  const codes = [...new Set(rows)];
  const catLabel = (code) => {
    if (code === '*') return t('admin.sla.any_category');
    const c = categories().find((x) => x.code === code);
    return c ? `${localName(c.names)} (${code})` : code;
  };
  const urgLabel = (u) => (u ? label('urgency', u) : t('admin.sla.any_urgency'));
  const find = (cat, u) => targets.findIndex((x) => x.category === cat && (x.urgency ?? null) === u);

  function duration(x, i, kind, name) {
    const d = x[kind] ?? {};
    const unit = unitOf(d);
    const amount = input(
      { type: 'number', min: 0, step: 'any', class: 'amount', 'aria-label': name, 'data-path': `targets.${i}.${kind}` },
      d[unit],
      (v) => {
        x[kind] = { [unitOf(x[kind])]: number(v) };
      },
    );
    const units = choice(
      { 'aria-label': `${name} · ${t('admin.sla.unit')}`, 'data-unit': kind },
      UNITS.map((u) => [u, t(`admin.sla.unit.${u}`)]),
      unit,
      (v) => {
        x[kind] = { [v]: number(amount.value) };
      },
    );
    return h('div', { class: `duration ${kind}` }, amount, units);
  }

  function cell(cat, u, draw) {
    const i = find(cat, u);
    const where = `${catLabel(cat)} · ${urgLabel(u)}`;
    if (i < 0) {
      return h(
        'td',
        { class: 'sla-cell empty', 'data-cell': `${cat}/${u ?? '*'}` },
        iconButton('+', t('admin.sla.add', { where }), () => {
          // A new target starts as what applied there before: the category's own default, else the city's.
          const base = targets[find(cat, null)] ?? targets[find('*', u)] ?? targets[find('*', null)];
          targets.push({
            category: cat,
            ...(u ? { urgency: u } : {}),
            first_response: structuredClone(base?.first_response ?? { working_hours: 8 }),
            resolution: structuredClone(base?.resolution ?? { working_days: 15 }),
          });
          draw(`[data-cell="${cat}/${u ?? '*'}"] input`);
        }),
      );
    }
    const x = targets[i];
    // The city's default (any category, any urgency) must stay: without it some tickets would have no deadline.
    const removable = !(cat === '*' && u === null);
    return h(
      'td',
      { class: 'sla-cell', 'data-cell': `${cat}/${u ?? '*'}` },
      duration(x, i, 'first_response', `${where}: ${t('admin.col.first_response')}`),
      duration(x, i, 'resolution', `${where}: ${t('admin.col.resolution')}`),
      removable
        ? iconButton('×', t('admin.sla.remove', { where }), () => {
            targets.splice(i, 1);
            draw(`[data-cell="${cat}/${u ?? '*'}"] button`);
          })
        : null,
    );
  }

  return {
    render(draw) {
      const wh = model.working_hours;
      const time = (key) =>
        h(
          'div',
          { class: 'field' },
          h('label', { for: `sla-wh-${key}`, i18n: `admin.sla.working_hours.${key}` }),
          input({ id: `sla-wh-${key}`, type: 'time', 'data-path': `working_hours.${key}` }, wh[key], (v) => {
            wh[key] = v;
          }),
        );
      const head = h(
        'tr',
        {},
        h('th', { scope: 'col', i18n: 'admin.col.category' }),
        URGENCIES.map((u) => h('th', { scope: 'col' }, urgLabel(u))),
      );
      const body = codes.map((cat) =>
        h(
          'tr',
          { 'data-category': cat },
          h('th', { scope: 'row' }, catLabel(cat)),
          URGENCIES.map((u) => cell(cat, u, draw)),
        ),
      );
      return [
        h('div', { class: 'row working-hours' }, time('start'), time('end')),
        h('p', { class: 'hint', i18n: 'admin.sla.hint' }),
        h('p', { class: 'hint', i18n: 'admin.sla.cell_hint' }),
        h('p', { class: 'hint', i18n: 'admin.sla.units_hint' }),
        h('div', { class: 'table-wrap' }, h('table', { class: 'admin-table form-table sla-grid' }, h('thead', {}, head), h('tbody', {}, body))),
      ];
    },
    // A target's category it cannot show as a field (an unknown code) is reported at its resolution.
    mapPath: (p) => p.replace(/^(targets\.\d+)(\.(category|urgency|note))?$/, '$1.resolution'),
  };
}

// ── Calendars ─────────────────────────────────────────────────────────────────────────────────────────────────────

function calendarEditor(model) {
  const years = model.years;
  const byDate = (a, b) => String(a.date).localeCompare(String(b.date));
  return {
    render(draw) {
      const next = Math.max(new Date().getFullYear() - 1, ...years.map((y) => y.year)) + 1;
      return [
        h('p', { class: 'hint', i18n: 'admin.calendar.hint' }),
        ...years.map((y, i) => yearBox(y, i, draw)),
        h(
          'p',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'data-add-year': '',
              on: {
                click: () => {
                  years.push({ year: next, days_off: [], working_days: [] });
                  draw(`[data-year="${next}"] [data-add-off]`);
                },
              },
            },
            t('admin.calendar.add_year', { year: next }),
          ),
        ),
      ];
    },
    // The days in date order, as the files keep them.
    tidy() {
      for (const y of years) {
        y.days_off.sort(byDate);
        y.working_days ??= [];
        y.working_days.sort(byDate);
      }
    },
  };
}

function yearBox(y, i, draw) {
  y.working_days ??= [];
  const at = `years.${i}`;
  const off = `cal-${y.year}-off`;
  const worked = `cal-${y.year}-work`;
  const offRows = y.days_off.map((d, j) =>
    h(
      'tr',
      { 'data-day': d.date },
      rowHead(off, j),
      h(
        'td',
        {},
        input({ ...labelled(off, 'date', j), type: 'date', 'data-path': `${at}.days_off.${j}.date` }, d.date, (v) => {
          d.date = v;
        }),
      ),
      LANGS.map((l) => {
        d.name ??= { ru: '', kk: '', en: '' };
        return h(
          'td',
          {},
          input({ ...labelled(off, `name-${l}`, j), lang: l, 'data-path': `${at}.days_off.${j}.name.${l}` }, d.name[l], (v) => {
            d.name[l] = v.trim();
          }),
        );
      }),
      h(
        'td',
        {},
        iconButton('×', t('admin.calendar.remove', { date: d.date || String(j + 1) }), () => {
          y.days_off.splice(j, 1);
          draw(`[data-year="${y.year}"] [data-add-off]`);
        }),
      ),
    ),
  );
  const workRows = y.working_days.map((d, j) =>
    h(
      'tr',
      { 'data-day': d.date },
      rowHead(worked, j),
      h(
        'td',
        {},
        input({ ...labelled(worked, 'date', j), type: 'date', 'data-path': `${at}.working_days.${j}.date` }, d.date, (v) => {
          d.date = v;
        }),
      ),
      h(
        'td',
        {},
        input({ ...labelled(worked, 'note', j), 'data-path': `${at}.working_days.${j}.note` }, d.note, (v) => {
          d.note = v;
        }),
      ),
      h(
        'td',
        {},
        iconButton('×', t('admin.calendar.remove', { date: d.date || String(j + 1) }), () => {
          y.working_days.splice(j, 1);
          draw(`[data-year="${y.year}"] [data-add-work]`);
        }),
      ),
    ),
  );
  const nameCols = LANGS.map((l) => [`name-${l}`, t('admin.calendar.name', { lang: t(`language.${l}`) })]);
  return h(
    'fieldset',
    { class: 'card calendar-year', 'data-year': y.year },
    h('legend', {}, t('admin.calendar.year', { year: y.year })),
    h('h3', { i18n: 'admin.calendar.days_off' }),
    offRows.length
      ? grid(off, [['date', t('admin.col.date')], ...nameCols, ['remove', t('admin.actions')]], offRows)
      : h('p', { class: 'muted', i18n: 'admin.calendar.none' }),
    h(
      'p',
      {},
      h('button', {
        type: 'button',
        class: 'secondary',
        'data-add-off': '',
        i18n: 'admin.calendar.add_off',
        on: {
          click: () => {
            y.days_off.push({ date: '', name: { ru: '', kk: '', en: '' } });
            draw(`[data-path="${at}.days_off.${y.days_off.length - 1}.date"]`);
          },
        },
      }),
    ),
    h('h3', { i18n: 'admin.calendar.working_days' }),
    workRows.length
      ? grid(
          worked,
          [
            ['date', t('admin.col.date')],
            ['note', t('admin.calendar.note')],
            ['remove', t('admin.actions')],
          ],
          workRows,
        )
      : h('p', { class: 'muted', i18n: 'admin.calendar.none' }),
    h(
      'p',
      {},
      h('button', {
        type: 'button',
        class: 'secondary',
        'data-add-work': '',
        i18n: 'admin.calendar.add_work',
        on: {
          click: () => {
            y.working_days.push({ date: '', note: '' });
            draw(`[data-path="${at}.working_days.${y.working_days.length - 1}.date"]`);
          },
        },
      }),
    ),
  );
}

// ── Categories ────────────────────────────────────────────────────────────────────────────────────────────────────

/** A list typed with commas, semicolons or one item a line, as the file's array. */
const words = (v) =>
  v
    .split(/[,;\n]/)
    .map((w) => w.trim())
    .filter(Boolean);

/** Rows enough for a list of keywords to be read without scrolling, within reason. */
const lines = (xs) => Math.min(8, Math.max(3, Math.ceil(xs.join(', ').length / 40)));

function area(props, value, write) {
  const el = h('textarea', { spellcheck: 'false', ...props });
  el.value = value ?? '';
  el.addEventListener('input', () => write(el.value));
  return el;
}

/** Where a removed category is still named: the sections of the server's cross-checks, by their count. */
function usedIn(details) {
  const count = new Map();
  for (const d of details) {
    const where = ['routing', 'sla', 'templates'].includes(d.section) ? d.section : 'other';
    count.set(where, (count.get(where) ?? 0) + 1);
  }
  return [...count].map(([where, n]) => t(`admin.cat.used.${where}`, { n })).join('; ');
}

function categoriesEditor(model) {
  // The rows shown: a category removed stays, struck through, until the save, so that a refusal (routing rules,
  // SLA targets or templates still name it) can be said beside it. What is sent leaves it out.
  const rows = [...model.categories];
  const existing = new WeakSet(rows);
  const removed = new WeakSet();
  const open = new WeakSet();
  const kept = () => rows.filter((c) => !removed.has(c));
  const name = (c, j) => localName(c.name) || c.code || String(j + 1);
  const langCol = (key, l) => t(key, { lang: t(`language.${l}`) });
  const columns = [
    ['code', t('admin.col.code')],
    ['group', t('admin.col.group')],
    ...LANGS.map((l) => [`name-${l}`, langCol('admin.cat.name', l)]),
    ['actions', t('admin.actions')],
  ];
  const cell = (key, ...content) => h('td', { 'data-label': columns.find(([k]) => k === key)?.[1] }, ...content);

  function more(c, j) {
    const at = `categories.${j}`;
    const lang = (l) => {
      const d = `cat-${j}-description-${l}`;
      const k = `cat-${j}-keywords-${l}`;
      return h(
        'div',
        { class: 'cat-lang' },
        h('label', { for: d }, langCol('admin.cat.description', l)),
        area({ id: d, rows: 2, lang: l, 'data-path': `${at}.description.${l}` }, c.description[l], (v) => {
          c.description[l] = v.trim();
        }),
        h('label', { for: k }, langCol('admin.cat.keywords', l)),
        area(
          { id: k, rows: lines(c.keywords[l]), lang: l, 'data-path': `${at}.keywords.${l}`, 'aria-describedby': 'cat-keywords-hint' },
          c.keywords[l].join(', '),
          (v) => {
            c.keywords[l] = words(v);
          },
        ),
      );
    };
    return h(
      'tr',
      { class: 'cat-more', id: `cat-more-${j}`, hidden: !open.has(c) },
      h('td', { colspan: columns.length + 1 }, h('div', { class: 'cat-langs' }, LANGS.map(lang))),
    );
  }

  function row(c, j, draw) {
    const at = `categories.${j}`;
    c.name ??= { ru: '', kk: '', en: '' };
    c.description ??= { ru: '', kk: '', en: '' };
    c.keywords ??= { ru: [], kk: [], en: [] };
    if (removed.has(c)) {
      return h(
        'tr',
        { class: 'cat-row removed', 'data-category': c.code },
        rowHead('cat', j),
        cell('code', h('code', {}, c.code)),
        cell('group', c.group),
        LANGS.map((l) => cell(`name-${l}`, h('span', { class: 'cat-name', lang: l }, c.name[l]))),
        cell(
          'actions',
          h(
            'div',
            { class: 'cat-actions' },
            h('span', { class: 'muted small', i18n: 'admin.cat.removed' }),
            h(
              'button',
              {
                type: 'button',
                class: 'secondary small',
                'aria-label': t('admin.cat.restore_of', { name: name(c, j) }),
                'data-path': `${at}.removed`,
                on: {
                  click: () => {
                    removed.delete(c);
                    draw(`[data-path="${at}.group"]`);
                  },
                },
              },
              t('admin.cat.restore'),
            ),
          ),
        ),
      );
    }
    const code = existing.has(c)
      ? h('code', {}, c.code)
      : input(
          { ...labelled('cat', 'code', j), 'data-path': `${at}.code`, spellcheck: 'false', size: 8, maxlength: 8, autocapitalize: 'characters' },
          c.code,
          (v) => {
            c.code = v.trim().toUpperCase();
          },
        );
    const shown = open.has(c);
    return h(
      'tr',
      { class: 'cat-row', 'data-category': c.code ?? '' },
      rowHead('cat', j),
      cell('code', code),
      cell(
        'group',
        input({ ...labelled('cat', 'group', j), 'data-path': `${at}.group`, list: 'cat-groups', spellcheck: 'false', size: 12 }, c.group, (v) => {
          c.group = v.trim();
        }),
      ),
      LANGS.map((l) =>
        cell(
          `name-${l}`,
          input({ ...labelled('cat', `name-${l}`, j), 'data-path': `${at}.name.${l}`, lang: l }, c.name[l], (v) => {
            c.name[l] = v.trim();
          }),
        ),
      ),
      cell(
        'actions',
        h('div', { class: 'cat-actions' }, [
          h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              'aria-expanded': String(shown),
              'aria-controls': `cat-more-${j}`,
              'aria-label': t('admin.cat.details_of', { name: name(c, j) }),
              'data-more': '',
              on: {
                click: () => {
                  if (shown) open.delete(c);
                  else open.add(c);
                  draw(`[aria-controls="cat-more-${j}"]`);
                },
              },
            },
            `${t('admin.cat.details')} ${shown ? '▴' : '▾'}`,
          ),
          iconButton('×', t('admin.cat.remove', { name: name(c, j) }), () => {
            // A category not yet saved just goes; one in force is marked, and can be restored until the save.
            if (existing.has(c)) {
              removed.add(c);
              draw(`[data-path="${at}.removed"]`);
            } else {
              rows.splice(j, 1);
              draw('[data-add-category]');
            }
          }),
        ]),
      ),
    );
  }

  return {
    render(draw) {
      const groups = [...new Set(rows.map((c) => c.group).filter(Boolean))].sort();
      return [
        h('p', { class: 'hint', i18n: 'admin.cat.hint' }),
        h('p', { class: 'hint', id: 'cat-keywords-hint', i18n: 'admin.cat.keywords_hint' }),
        h(
          'datalist',
          { id: 'cat-groups' },
          groups.map((g) => h('option', { value: g })),
        ),
        h(
          'div',
          { class: 'cat-table' },
          grid(
            'cat',
            columns,
            rows.flatMap((c, j) => [row(c, j, draw), removed.has(c) ? null : more(c, j)]),
          ),
        ),
        h(
          'p',
          {},
          h('button', {
            type: 'button',
            class: 'secondary',
            'data-add-category': '',
            i18n: 'admin.cat.add',
            on: {
              click: () => {
                const c = { code: '', group: groups.includes('other') ? 'other' : (groups[0] ?? ''), name: { ru: '', kk: '', en: '' } };
                c.description = { ru: '', kk: '', en: '' };
                c.keywords = { ru: [], kk: [], en: [] };
                rows.push(c);
                open.add(c);
                draw(`[data-path="categories.${rows.length - 1}.code"]`);
              },
            },
          }),
        ),
      ];
    },
    tidy() {
      model.categories = kept();
    },
    // The server counts the rows it was sent; the form counts the removed ones too. A category still named by another
    // section is said once, beside its removed row; a problem in a description or keywords opens them.
    placeDetails(details) {
      const sent = model.categories;
      const out = [];
      const inUse = new Map();
      for (const d of details) {
        const field = String(d.field ?? '').replace(/^body\.(value\.)?/, '');
        const gone = d.code === 'unknown_category' && d.section !== 'categories' && rows.find((c) => removed.has(c) && c.code === d.params?.id);
        if (gone) {
          inUse.set(gone, [...(inUse.get(gone) ?? []), d]);
          continue;
        }
        const m = /^categories\.(\d+)(\..*)?$/.exec(field);
        const c = m && sent[Number(m[1])];
        if (c) {
          // A problem with the category as a whole goes to its first field.
          const rest = m[2] ?? (existing.has(c) ? '.group' : '.code');
          if (/^\.(description|keywords)\./.test(rest)) open.add(c);
          const code = rest === '.code' && d.code === 'invalid_format' ? 'category_code' : d.code;
          out.push({ ...d, code, field: `categories.${rows.indexOf(c)}${rest}` });
        } else if (d.code === 'duplicate_id' && field === 'categories') {
          const twin = rows.findLast((c) => !removed.has(c) && c.code === d.params?.id);
          out.push(twin ? { ...d, field: `categories.${rows.indexOf(twin)}.code` } : d);
        } else out.push(d);
      }
      for (const [c, ds] of inUse)
        out.push({ field: `categories.${rows.indexOf(c)}.removed`, code: 'category_in_use', params: { id: c.code, where: usedIn(ds) } });
      return out;
    },
  };
}

// ── Routing rules ─────────────────────────────────────────────────────────────────────────────────────────────────

const RULE_FIELDS = new Set(['category', 'district', 'keywords', 'organisation', 'priority']);

async function routingEditor(model) {
  const rules = model.rules;
  // A rule names an organisation of the organisations section (the building registry's own are reached by `registry`).
  const [places, section] = await Promise.all([api('/districts').catch(() => null), api('/admin/config/organisations').catch(() => null)]);
  const districts = (places?.districts ?? []).map((d) => [d.id, localName(d.name) ?? d.id]);
  const inForce = (section?.override ?? section?.file)?.organisations ?? organisations().map((o) => ({ id: o.id, name: o.names }));
  const byName = (xs) => xs.sort((a, b) => a[1].localeCompare(b[1]));
  // The code first: it stays readable when the select is narrow.
  const cats = [['*', t('admin.sla.any_category')], ...categories().map((c) => [c.code, `${c.code} · ${localName(c.names)}`])];
  const orgs = [['', t('admin.rules.choose_org')], ...byName(inForce.map((o) => [o.id, localName(o.name) ?? o.id]))];
  const columns = [
    ['category', t('admin.col.category')],
    ['district', t('admin.rules.district')],
    ['keywords', t('admin.rules.keywords')],
    ['organisation', t('admin.col.target')],
    ['priority', t('admin.col.priority')],
    ['other', t('admin.rules.other')],
    ['move', t('admin.actions')],
  ];
  const move = (i, by, draw, which) => {
    const [rule] = rules.splice(i, 1);
    rules.splice(i + by, 0, rule);
    draw(`[data-rule="${i + by}"] [data-move="${which}"]`);
  };
  return {
    render(draw) {
      const rows = rules.map((r, i) => {
        const at = `rules.${i}`;
        const other = [
          r.street ? t('admin.rules.street', { street: r.street, houses: r.houses ? String(r.houses) : '—' }) : null,
          r.note ?? null,
        ].filter(Boolean);
        const target = r.registry
          ? h('span', {}, `${t('admin.col.registry')}: ${r.registry}`)
          : choice({ ...labelled('rule', 'organisation', i), 'data-path': `${at}.organisation` }, orgs, r.organisation, (v) =>
              setOptional(r, 'organisation', v),
            );
        return h(
          'tr',
          { 'data-rule': i },
          rowHead('rule', i),
          h(
            'td',
            {},
            choice({ ...labelled('rule', 'category', i), 'data-path': `${at}.category` }, cats, r.category, (v) => {
              r.category = v;
            }),
          ),
          h(
            'td',
            {},
            choice(
              { ...labelled('rule', 'district', i), 'data-path': `${at}.district` },
              [['', t('admin.rules.any_district')], ...districts],
              r.district,
              (v) => setOptional(r, 'district', v),
            ),
          ),
          h(
            'td',
            {},
            input({ ...labelled('rule', 'keywords', i), 'data-path': `${at}.keywords`, spellcheck: 'false' }, (r.keywords ?? []).join(', '), (v) => {
              const words = v
                .split(/[,;]/)
                .map((w) => w.trim())
                .filter(Boolean);
              setOptional(r, 'keywords', words.length ? words : undefined);
            }),
          ),
          h('td', {}, target),
          h(
            'td',
            {},
            input(
              { ...labelled('rule', 'priority', i), type: 'number', step: 1, class: 'amount', 'data-path': `${at}.priority` },
              r.priority ?? '',
              (v) => setOptional(r, 'priority', number(v)),
            ),
          ),
          h('td', { class: 'muted small' }, other.join(' · ') || '—'),
          h(
            'td',
            { class: 'nowrap' },
            i > 0 ? iconButton('↑', t('admin.rules.up', { n: i + 1 }), () => move(i, -1, draw, 'up'), { 'data-move': 'up' }) : null,
            i < rules.length - 1
              ? iconButton('↓', t('admin.rules.down', { n: i + 1 }), () => move(i, 1, draw, 'down'), { 'data-move': 'down' })
              : null,
            iconButton('×', t('admin.rules.remove', { n: i + 1 }), () => {
              rules.splice(i, 1);
              draw('[data-add-rule]');
            }),
          ),
        );
      });
      return [
        h('p', { class: 'hint', i18n: 'admin.rules.hint' }),
        grid('rule', columns, rows),
        h(
          'p',
          {},
          h('button', {
            type: 'button',
            class: 'secondary',
            'data-add-rule': '',
            i18n: 'admin.rules.add',
            on: {
              click: () => {
                rules.push({ category: '*' });
                draw(`[data-path="rules.${rules.length - 1}.category"]`);
              },
            },
          }),
        ),
      ];
    },
    // A problem with the rule as a whole (organisation or registry), or with a field the table does not show, is put
    // at the rule's target; a keyword's is put at the keywords.
    mapPath: (p) => {
      const m = /^rules\.(\d+)(?:\.([a-z_]+))?/.exec(p);
      if (!m) return p;
      const field = m[2] && RULE_FIELDS.has(m[2]) ? m[2] : rules[Number(m[1])]?.registry ? 'category' : 'organisation';
      return `rules.${m[1]}.${field}`;
    },
  };
}

const EDITORS = {
  organisations: organisationsEditor,
  categories: categoriesEditor,
  sla: slaEditor,
  calendar: calendarEditor,
  routing: routingEditor,
};
