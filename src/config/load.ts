// Reads a city's configuration directory, validates every file against config/schema.ts and checks the
// cross-references (a routing rule naming an unknown organisation is an error at start, not at 3 a.m.).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { buildRouter, loadRegistry, streetKeysOf } from '../routing/load.js';
import type { BuildingRegistry } from '../routing/registry.js';
import type { Router, RoutingRule } from '../routing/rules.js';
import type { WorkingCalendar } from '../sla/calendar.js';
import { type DistrictShape, shapesFromGeoJson } from '../triage/geo.js';
import {
  AnalyticsFile,
  CalendarFile,
  CategoriesFile,
  CityFile,
  DemoFile,
  EscalationFile,
  OrganisationsFile,
  RoutingFile,
  SlaFile,
  TemplatesFile,
  TriageFile,
  WatchlistsFile,
} from './schema.js';

export interface City {
  dir: string;
  city: z.infer<typeof CityFile>;
  organisations: z.infer<typeof OrganisationsFile>['organisations'];
  categories: z.infer<typeof CategoriesFile>['categories'];
  routing: RoutingRule[];
  /** The routing rules prepared, with the gazetteer's streets and the building registry. */
  router: Router;
  /** Which organisation serves each building, per service (empty without city.yaml building_registry). */
  registry: BuildingRegistry;
  sla: z.infer<typeof SlaFile>;
  escalation: z.infer<typeof EscalationFile>;
  calendar: WorkingCalendar;
  templates: z.infer<typeof TemplatesFile>['templates'];
  triage: z.infer<typeof TriageFile>;
  demo: z.infer<typeof DemoFile>;
  watchlists: z.infer<typeof WatchlistsFile>;
  /** analytics.yaml (optional: every section has defaults). */
  analytics: z.infer<typeof AnalyticsFile>;
  shapes: DistrictShape[];
  geojson: unknown;
  /** The files as written, kept so an admin's override can be compared with them and reverted. */
  files: CityFiles;
  /** The sections an admin's override replaces, and the newest config_versions id applied (0: the files alone). */
  overridden: SectionName[];
  version: number;
}

/** One problem, where it is: the file or section, and the path inside it (as zod gives it); `code` and `params`
 * say what is wrong so a form can say it in the reader's language, `message` says it in English. */
export interface ConfigIssue {
  section: string;
  path: string;
  code: string;
  params?: Record<string, unknown>;
  message: string;
}

/** A problem's code and what the sentence for it names (an id, a year, a template key). */
type Why = [code: string, params?: Record<string, unknown>];

const ISSUE_PARAMS = ['origin', 'minimum', 'maximum', 'inclusive', 'expected', 'values', 'format', 'keys', 'divisor'] as const;

/**
 * A zod issue's code and the parts of it a translated sentence needs (bounds, expected type, allowed values,
 * format), never the input itself. A refinement names its own code in `params.code`. The API's error handler reads
 * request bodies' issues through this too, so every 400 of the API details its problems alike.
 */
export function issueCode(code: string, fields: Record<string, unknown> = {}): { code: string; params?: Record<string, unknown> } {
  const own = fields.params as { code?: unknown } | undefined;
  if (code === 'custom' && typeof own?.code === 'string') {
    const { code: named, ...rest } = own;
    return Object.keys(rest).length ? { code: named as string, params: rest } : { code: named as string };
  }
  const params: Record<string, unknown> = {};
  for (const k of ISSUE_PARAMS) {
    const v = fields[k];
    if (v !== undefined) params[k] = typeof v === 'bigint' ? Number(v) : v;
  }
  return Object.keys(params).length ? { code, params } : { code };
}

/** The first value that occurs twice, if any. */
const firstDuplicate = <T>(xs: readonly T[]): T | undefined => xs.find((x, i) => xs.indexOf(x) !== i);

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: ConfigIssue[] = [],
  ) {
    super(message);
  }
}

/** The sections an admin may edit at run time (src/admin/config.ts); each is validated by the same schema as its file. */
export const EDITABLE_SECTIONS = ['organisations', 'categories', 'routing', 'sla', 'calendar', 'templates'] as const;
export type SectionName = (typeof EDITABLE_SECTIONS)[number];
/** The calendar files (one per year) edited as one section. */
export const CalendarSection = z.object({ years: z.array(CalendarFile).min(1) });
export const SECTION_SCHEMAS = {
  organisations: OrganisationsFile,
  categories: CategoriesFile,
  routing: RoutingFile,
  sla: SlaFile,
  calendar: CalendarSection,
  templates: TemplatesFile,
} as const;
const SECTION_FILES: Record<Exclude<SectionName, 'calendar'>, string> = {
  organisations: 'organisations.yaml',
  categories: 'categories.yaml',
  routing: 'routing.yaml',
  sla: 'sla.yaml',
  templates: 'templates.yaml',
};
export type Overrides = Partial<Record<SectionName, unknown>>;

/** A city's files as written, before validation: what an override is compared with and reverted to. */
export interface CityFiles {
  dir: string;
  /** Parsed YAML by file name relative to the directory. */
  raw: Record<string, unknown>;
  calendarFiles: string[];
  geojson: unknown;
}

async function readData(dir: string, file: string): Promise<unknown> {
  try {
    return parse(await readFile(join(dir, file), 'utf8'));
  } catch (e) {
    throw new ConfigError(`${join(dir, file)}: ${(e as Error).message}`, [
      { section: file, path: '', code: 'unreadable', message: (e as Error).message },
    ]);
  }
}

function validate<T extends z.ZodType>(label: string, section: string, data: unknown, schema: T): z.infer<T> {
  const r = schema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({
      section,
      path: i.path.join('.'),
      ...issueCode(i.code, i as unknown as Record<string, unknown>),
      message: i.message,
    }));
    const lines = issues.slice(0, 10).map((i) => `  ${i.path || '(root)'}: ${i.message}`);
    throw new ConfigError(`${label} is invalid:\n${lines.join('\n')}`, issues);
  }
  return r.data;
}

const FILES = ['city.yaml', ...Object.values(SECTION_FILES), 'escalation.yaml', 'triage.yaml', 'demo.yaml', 'watchlists.yaml'];

export async function readCityFiles(dir: string): Promise<CityFiles> {
  const raw: Record<string, unknown> = {};
  for (const f of FILES) raw[f] = await readData(dir, f);
  // analytics.yaml is optional: a city without it gets every section's defaults.
  raw['analytics.yaml'] = await readFile(join(dir, 'analytics.yaml'), 'utf8').then(
    () => readData(dir, 'analytics.yaml'),
    () => ({}),
  );
  const calendarFiles = (await readdir(join(dir, 'calendar'))).filter((f) => f.endsWith('.yaml')).sort();
  for (const f of calendarFiles) raw[join('calendar', f)] = await readData(dir, join('calendar', f));
  const city = validate(join(dir, 'city.yaml'), 'city.yaml', raw['city.yaml'], CityFile);
  const geojson = JSON.parse(await readFile(join(dir, city.districts_file), 'utf8'));
  return { dir, raw, calendarFiles: calendarFiles.map((f) => join('calendar', f)), geojson };
}

/** What the files say for an editable section, in the shape its schema reads. */
export function fileSection(files: CityFiles, section: SectionName): unknown {
  if (section === 'calendar') return { years: files.calendarFiles.map((f) => files.raw[f]) };
  return files.raw[SECTION_FILES[section]];
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export async function loadCity(dir: string, opts: { registry?: boolean } = {}): Promise<City> {
  return assembleCity(await readCityFiles(dir), {}, opts);
}

/** Validates a whole city from its files and the admin's overrides (each replaces its file), with every cross-check
 * of a start; throws ConfigError listing the problems by section and path. */
export async function assembleCity(files: CityFiles, overrides: Overrides, opts: { registry?: boolean; version?: number } = {}): Promise<City> {
  const { dir } = files;
  const read = <T extends z.ZodType>(file: string, schema: T) => validate(join(dir, file), file, files.raw[file], schema);
  const section = <S extends SectionName>(name: S): z.infer<(typeof SECTION_SCHEMAS)[S]> => {
    const label =
      overrides[name] !== undefined
        ? `the ${name} section`
        : join(dir, name === 'calendar' ? 'calendar' : SECTION_FILES[name as Exclude<S, 'calendar'>]);
    return validate(label, name, overrides[name] ?? fileSection(files, name), SECTION_SCHEMAS[name]) as z.infer<(typeof SECTION_SCHEMAS)[S]>;
  };
  const city = read('city.yaml', CityFile);
  const { organisations } = section('organisations');
  const { categories } = section('categories');
  const { rules } = section('routing');
  const sla = section('sla');
  const escalation = read('escalation.yaml', EscalationFile);
  const { templates } = section('templates');
  const triage = read('triage.yaml', TriageFile);
  const demo = read('demo.yaml', DemoFile);
  const watchlists = read('watchlists.yaml', WatchlistsFile);
  const analytics = read('analytics.yaml', AnalyticsFile);
  const calendars = section('calendar').years;
  const geojson = files.geojson as Parameters<typeof shapesFromGeoJson>[0];

  // The building registry's organisations (1,372 housing companies…) join the configured ones.
  const configuredIds = new Set(organisations.map((o) => o.id));
  const streets = streetKeysOf(triage.streets);
  const loaded = await loadRegistry(dir, opts.registry === false ? undefined : city.building_registry, configuredIds, streets);
  organisations.push(...loaded.organisations);

  const problems: ConfigIssue[] = loaded.problems.map((message) => ({
    section: 'city.yaml',
    path: 'building_registry',
    code: 'building_registry',
    message,
  }));
  const orgIds = new Set(organisations.map((o) => o.id));
  const catCodes = new Set(categories.map((c) => c.code));
  const districtIds = new Set(city.districts.map((d) => d.id));
  // `at` names the section and path of a problem, so an admin's form can show it next to the field; `why` is its
  // code and parameters, so the form can say it in the admin's language.
  const check = (ok: boolean, why: Why, message: string, at: [string, ...(string | number)[]] = ['city']) =>
    ok || problems.push({ section: at[0], path: at.slice(1).join('.'), code: why[0], ...(why[1] && { params: why[1] }), message });
  const duplicate = (xs: string[]): Why => ['duplicate_id', { id: firstDuplicate(xs) }];
  check(orgIds.size === organisations.length, duplicate(organisations.map((o) => o.id)), 'organisations.yaml: duplicate organisation id', [
    'organisations',
    'organisations',
  ]);
  check(catCodes.size === categories.length, duplicate(categories.map((c) => c.code)), 'categories.yaml: duplicate category code', [
    'categories',
    'categories',
  ]);
  check(
    orgIds.has(city.fallback_organisation),
    ['fallback_organisation', { id: city.fallback_organisation }],
    `city.yaml: fallback_organisation ${city.fallback_organisation} is not an organisation`,
    ['organisations', 'organisations'],
  );
  for (const [i, o] of organisations.entries())
    if (o.parent)
      check(orgIds.has(o.parent), ['unknown_organisation', { id: o.parent }], `organisations.yaml: ${o.id} has unknown parent ${o.parent}`, [
        'organisations',
        'organisations',
        i,
        'parent',
      ]);
  for (const [i, r] of rules.entries()) {
    check(
      r.category === '*' || catCodes.has(r.category),
      ['unknown_category', { id: r.category }],
      `routing.yaml rule ${i}: unknown category ${r.category}`,
      ['routing', 'rules', i, 'category'],
    );
    if (r.organisation)
      check(
        orgIds.has(r.organisation),
        ['unknown_organisation', { id: r.organisation }],
        `routing.yaml rule ${i}: unknown organisation ${r.organisation}`,
        ['routing', 'rules', i, 'organisation'],
      );
    if (r.district)
      check(districtIds.has(r.district), ['unknown_district', { id: r.district }], `routing.yaml rule ${i}: unknown district ${r.district}`, [
        'routing',
        'rules',
        i,
        'district',
      ]);
  }
  for (const [i, t] of sla.targets.entries())
    check(t.category === '*' || catCodes.has(t.category), ['unknown_category', { id: t.category }], `sla.yaml: unknown category ${t.category}`, [
      'sla',
      'targets',
      i,
      'category',
    ]);
  check(
    sla.targets.some((t) => t.category === '*' && !t.urgency),
    ['default_target_missing'],
    "sla.yaml: needs a default target (category '*' without urgency)",
    ['sla', 'targets'],
  );
  const years = calendars.map((c) => c.year);
  check(new Set(years).size === calendars.length, ['duplicate_year', { year: firstDuplicate(years) }], 'calendar: two files for one year', [
    'calendar',
    'years',
  ]);
  for (const [i, c] of calendars.entries())
    for (const [j, d] of [...c.days_off, ...c.working_days].entries())
      check(
        d.date.startsWith(`${c.year}-`),
        ['date_outside_year', { date: d.date, year: c.year }],
        `calendar ${c.year}: ${d.date} is not in ${c.year}`,
        ['calendar', 'years', i, j < c.days_off.length ? 'days_off' : 'working_days', j < c.days_off.length ? j : j - c.days_off.length, 'date'],
      );
  checkEscalation(escalation, { orgIds, catCodes, accounts: new Set(watchlists.accounts.map((a) => a.id)) }, (ok, why, msg) =>
    check(ok, why, msg, ['escalation.yaml']),
  );
  for (const u of demo.users)
    if (u.organisation)
      check(orgIds.has(u.organisation), ['unknown_organisation', { id: u.organisation }], `demo.yaml: ${u.email} has unknown organisation`, [
        'demo.yaml',
      ]);
  for (const u of demo.users)
    check(
      (u.role === 'official') === Boolean(u.watch_account) && (!u.watch_account || watchlists.accounts.some((a) => a.id === u.watch_account)),
      ['official_watch_account', { email: u.email }],
      `demo.yaml: ${u.email}: an official needs the watch_account of a watchlists.yaml account, and only an official has one`,
      ['demo.yaml'],
    );
  for (const a of watchlists.accounts)
    if (a.organisation)
      check(
        orgIds.has(a.organisation),
        ['unknown_organisation', { id: a.organisation }],
        `watchlists.yaml: ${a.id} has unknown organisation ${a.organisation}`,
        ['watchlists.yaml'],
      );
  const accountIds = watchlists.accounts.map((a) => a.id);
  check(new Set(accountIds).size === accountIds.length, duplicate(accountIds), 'watchlists.yaml: duplicate account id', ['watchlists.yaml']);
  // The question to the resident is the one message a ticket cannot do without: asking would be silent.
  for (const key of ['acknowledgement', 'acknowledgement.pending', 'question.asked'])
    check(key in templates, ['template_missing', { key }], `templates.yaml: missing ${key}`, ['templates', 'templates', key]);
  for (const key of Object.keys(templates)) {
    const [base = key, category] = key.split('@');
    if (category) {
      check(catCodes.has(category), ['unknown_category', { id: category }], `templates.yaml: ${key} names unknown category ${category}`, [
        'templates',
        'templates',
        key,
      ]);
      check(base in templates, ['template_general_missing', { key, base }], `templates.yaml: ${key} needs the general ${base} as well`, [
        'templates',
        'templates',
        key,
      ]);
    }
  }
  const shapes = shapesFromGeoJson(geojson);
  for (const s of shapes)
    check(districtIds.has(s.id), ['unknown_district', { id: s.id }], `${city.districts_file}: district ${s.id} is not in city.yaml`, ['city.yaml']);
  const byId = new Map(organisations.map((o) => [o.id, o.name.en]));
  const { router, problems: routingProblems } = buildRouter(rules, streets, loaded.registry, (id) => byId.get(id), opts.registry !== false);
  problems.push(...routingProblems.map((message) => ({ section: 'routing', path: ruleIndexPath(message), code: 'routing_rule', message })));
  if (problems.length || !router)
    throw new ConfigError(`City configuration in ${dir} has errors:\n  ${problems.map((p) => p.message).join('\n  ')}`, problems);

  const calendar: WorkingCalendar = {
    utcOffsetMinutes: city.utc_offset_minutes,
    dayStart: toMinutes(sla.working_hours.start),
    dayEnd: toMinutes(sla.working_hours.end),
    daysOff: new Set(calendars.flatMap((c) => c.days_off.map((d) => d.date))),
    workingWeekends: new Set(calendars.flatMap((c) => c.working_days.map((d) => d.date))),
    years: new Set(calendars.map((c) => c.year)),
  };
  return {
    dir,
    city,
    organisations,
    categories,
    routing: rules,
    router,
    registry: loaded.registry,
    sla,
    escalation,
    calendar,
    templates,
    triage,
    demo,
    watchlists,
    analytics,
    shapes,
    geojson,
    files,
    overridden: EDITABLE_SECTIONS.filter((s) => overrides[s] !== undefined),
    version: opts.version ?? 0,
  };
}

/** "routing.yaml rule 3: …" → rules.3, so the form marks the rule. */
const ruleIndexPath = (message: string) => {
  const m = /rule (\d+)/.exec(message);
  return m ? `rules.${m[1]}` : 'rules';
};

/** escalation.yaml names chains, organisations, categories and watched accounts: each must exist. */
function checkEscalation(
  e: z.infer<typeof EscalationFile>,
  known: { orgIds: Set<string>; catCodes: Set<string>; accounts: Set<string> },
  check: (ok: boolean, why: Why, msg: string) => unknown,
) {
  check('default' in e.chains, ['default_chain_missing'], 'escalation.yaml: needs a chain named default');
  for (const [name, chain] of Object.entries(e.chains)) {
    const steps = chain.steps.map((s) => s.id);
    check(
      new Set(steps).size === steps.length,
      ['duplicate_step', { chain: name, id: firstDuplicate(steps) }],
      `escalation.yaml: chain ${name} has two steps with one id`,
    );
    for (const s of chain.steps) {
      for (const a of s.officials)
        check(known.accounts.has(a), ['unknown_watched_account', { id: a }], `escalation.yaml: ${name}/${s.id} names unknown watched account ${a}`);
      if (s.reassign_to)
        check(
          known.orgIds.has(s.reassign_to),
          ['unknown_organisation', { id: s.reassign_to }],
          `escalation.yaml: ${name}/${s.id} reassigns to unknown organisation ${s.reassign_to}`,
        );
    }
  }
  for (const [i, o] of e.overrides.entries()) {
    check(o.chain in e.chains, ['unknown_chain', { id: o.chain }], `escalation.yaml override ${i}: unknown chain ${o.chain}`);
    check(
      !o.category || o.category === '*' || known.catCodes.has(o.category),
      ['unknown_category', { id: o.category }],
      `escalation.yaml override ${i}: unknown category ${o.category}`,
    );
    check(Boolean(o.category || o.urgency), ['override_without_condition'], `escalation.yaml override ${i}: names neither a category nor an urgency`);
  }
}
