// Reads a city's configuration directory, validates every file against config/schema.ts and checks the
// cross-references (a routing rule naming an unknown organisation is an error at start, not at 3 a.m.).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { buildRouter, loadRegistry, streetKeysOf } from '../routing/load.js';
import type { BuildingRegistry } from '../routing/registry.js';
import type { Router, RoutingRule } from '../routing/rules.js';
import type { WorkingCalendar } from '../sla/calendar.js';
import { type DistrictShape, shapesFromGeoJson } from '../triage/geo.js';
import {
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
  shapes: DistrictShape[];
  geojson: unknown;
}

export class ConfigError extends Error {}

async function readYaml<T extends z.ZodType>(dir: string, file: string, schema: T): Promise<z.infer<T>> {
  let data: unknown;
  try {
    data = parse(await readFile(join(dir, file), 'utf8'));
  } catch (e) {
    throw new ConfigError(`${join(dir, file)}: ${(e as Error).message}`);
  }
  const r = schema.safeParse(data);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 10).map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${join(dir, file)} is invalid:\n${lines.join('\n')}`);
  }
  return r.data;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export async function loadCity(dir: string, opts: { registry?: boolean } = {}): Promise<City> {
  const city = await readYaml(dir, 'city.yaml', CityFile);
  const { organisations } = await readYaml(dir, 'organisations.yaml', OrganisationsFile);
  const { categories } = await readYaml(dir, 'categories.yaml', CategoriesFile);
  const { rules } = await readYaml(dir, 'routing.yaml', RoutingFile);
  const sla = await readYaml(dir, 'sla.yaml', SlaFile);
  const escalation = await readYaml(dir, 'escalation.yaml', EscalationFile);
  const { templates } = await readYaml(dir, 'templates.yaml', TemplatesFile);
  const triage = await readYaml(dir, 'triage.yaml', TriageFile);
  const demo = await readYaml(dir, 'demo.yaml', DemoFile);
  const watchlists = await readYaml(dir, 'watchlists.yaml', WatchlistsFile);
  const calendarFiles = (await readdir(join(dir, 'calendar'))).filter((f) => f.endsWith('.yaml')).sort();
  const calendars = await Promise.all(calendarFiles.map((f) => readYaml(dir, join('calendar', f), CalendarFile)));
  const geojson = JSON.parse(await readFile(join(dir, city.districts_file), 'utf8'));

  // The building registry's organisations (1,372 housing companies…) join the configured ones.
  const configuredIds = new Set(organisations.map((o) => o.id));
  const streets = streetKeysOf(triage.streets);
  const loaded = await loadRegistry(dir, opts.registry === false ? undefined : city.building_registry, configuredIds, streets);
  organisations.push(...loaded.organisations);

  const problems: string[] = [...loaded.problems];
  const orgIds = new Set(organisations.map((o) => o.id));
  const catCodes = new Set(categories.map((c) => c.code));
  const districtIds = new Set(city.districts.map((d) => d.id));
  const check = (ok: boolean, msg: string) => ok || problems.push(msg);
  check(orgIds.size === organisations.length, 'organisations.yaml: duplicate organisation id');
  check(catCodes.size === categories.length, 'categories.yaml: duplicate category code');
  check(orgIds.has(city.fallback_organisation), `city.yaml: fallback_organisation ${city.fallback_organisation} is not an organisation`);
  for (const o of organisations) if (o.parent) check(orgIds.has(o.parent), `organisations.yaml: ${o.id} has unknown parent ${o.parent}`);
  for (const [i, r] of rules.entries()) {
    check(r.category === '*' || catCodes.has(r.category), `routing.yaml rule ${i}: unknown category ${r.category}`);
    if (r.organisation) check(orgIds.has(r.organisation), `routing.yaml rule ${i}: unknown organisation ${r.organisation}`);
    if (r.district) check(districtIds.has(r.district), `routing.yaml rule ${i}: unknown district ${r.district}`);
  }
  for (const t of sla.targets) check(t.category === '*' || catCodes.has(t.category), `sla.yaml: unknown category ${t.category}`);
  check(
    sla.targets.some((t) => t.category === '*' && !t.urgency),
    "sla.yaml: needs a default target (category '*' without urgency)",
  );
  checkEscalation(escalation, { orgIds, catCodes, accounts: new Set(watchlists.accounts.map((a) => a.id)) }, check);
  for (const u of demo.users) if (u.organisation) check(orgIds.has(u.organisation), `demo.yaml: ${u.email} has unknown organisation`);
  for (const u of demo.users)
    check(
      (u.role === 'official') === Boolean(u.watch_account) && (!u.watch_account || watchlists.accounts.some((a) => a.id === u.watch_account)),
      `demo.yaml: ${u.email}: an official needs the watch_account of a watchlists.yaml account, and only an official has one`,
    );
  for (const a of watchlists.accounts)
    if (a.organisation) check(orgIds.has(a.organisation), `watchlists.yaml: ${a.id} has unknown organisation ${a.organisation}`);
  check(new Set(watchlists.accounts.map((a) => a.id)).size === watchlists.accounts.length, 'watchlists.yaml: duplicate account id');
  // The question to the resident is the one message a ticket cannot do without: asking would be silent.
  for (const key of ['acknowledgement', 'acknowledgement.pending', 'question.asked']) check(key in templates, `templates.yaml: missing ${key}`);
  for (const key of Object.keys(templates)) {
    const [base = key, category] = key.split('@');
    if (category) {
      check(catCodes.has(category), `templates.yaml: ${key} names unknown category ${category}`);
      check(base in templates, `templates.yaml: ${key} needs the general ${base} as well`);
    }
  }
  const shapes = shapesFromGeoJson(geojson);
  for (const s of shapes) check(districtIds.has(s.id), `${city.districts_file}: district ${s.id} is not in city.yaml`);
  const byId = new Map(organisations.map((o) => [o.id, o.name.en]));
  const { router, problems: routingProblems } = buildRouter(rules, streets, loaded.registry, (id) => byId.get(id), opts.registry !== false);
  problems.push(...routingProblems);
  if (problems.length || !router) throw new ConfigError(`City configuration in ${dir} has errors:\n  ${problems.join('\n  ')}`);

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
    shapes,
    geojson,
  };
}

/** escalation.yaml names chains, organisations, categories and watched accounts: each must exist. */
function checkEscalation(
  e: z.infer<typeof EscalationFile>,
  known: { orgIds: Set<string>; catCodes: Set<string>; accounts: Set<string> },
  check: (ok: boolean, msg: string) => unknown,
) {
  check('default' in e.chains, 'escalation.yaml: needs a chain named default');
  for (const [name, chain] of Object.entries(e.chains)) {
    check(new Set(chain.steps.map((s) => s.id)).size === chain.steps.length, `escalation.yaml: chain ${name} has two steps with one id`);
    for (const s of chain.steps) {
      for (const a of s.officials) check(known.accounts.has(a), `escalation.yaml: ${name}/${s.id} names unknown watched account ${a}`);
      if (s.reassign_to)
        check(known.orgIds.has(s.reassign_to), `escalation.yaml: ${name}/${s.id} reassigns to unknown organisation ${s.reassign_to}`);
    }
  }
  for (const [i, o] of e.overrides.entries()) {
    check(o.chain in e.chains, `escalation.yaml override ${i}: unknown chain ${o.chain}`);
    check(!o.category || o.category === '*' || known.catCodes.has(o.category), `escalation.yaml override ${i}: unknown category ${o.category}`);
    check(Boolean(o.category || o.urgency), `escalation.yaml override ${i}: names neither a category nor an urgency`);
  }
}
