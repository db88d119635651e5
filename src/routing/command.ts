// `qala registry import | check`: an administrator turns the city's own export of buildings and their companies
// into the registry file routing reads (every row checked; a bad line is reported with its number and skipped),
// and checks the configured registry the way the centre will at start.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadCity } from '../config/load.js';
import { houseKey, houseNumber } from './address.js';
import {
  buildRegistry,
  type Problem,
  REGISTRY_COLUMNS,
  type RegistryField,
  type RegistryOrganisation,
  type RegistryRow,
  readCsvRecords,
} from './registry.js';

export const REGISTRY_USAGE = `  registry import --input FILE [--map COLUMN=FIELD …] [--service NAME] --out PATH [--city DIR]
                   a city's CSV of buildings and their companies → the registry file (docs/routing.md); fields:
                   ${[...REGISTRY_COLUMNS, 'address'].join(', ')}; bad lines are reported on stderr and skipped
  registry check [--city DIR]
                   validates the configured building registry as a start would, and prints its counts`;

const cityDir = () => process.env.QALA_CITY_DIR ?? 'config/cities/astana';

export async function registryCommand(args: string[]): Promise<void> {
  const [verb, ...rest] = args;
  if (verb === 'import') return importRegistry(rest);
  if (verb === 'check') return checkRegistry(rest);
  throw new Error(`registry: say import or check\n${REGISTRY_USAGE}`);
}

const FIELDS = new Set<string>([...REGISTRY_COLUMNS, 'address']);

async function importRegistry(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      out: { type: 'string' },
      map: { type: 'string', multiple: true, default: [] },
      service: { type: 'string' },
      city: { type: 'string', default: cityDir() },
    },
  });
  if (!values.input || !values.out) throw new Error(`missing --input or --out\n${REGISTRY_USAGE}`);
  const map: Record<string, string> = {};
  for (const m of values.map ?? []) {
    const at = m.lastIndexOf('=');
    const [column, field] = [m.slice(0, at).trim(), m.slice(at + 1).trim()];
    if (at < 1 || !FIELDS.has(field)) throw new Error(`--map ${m}: say COLUMN=FIELD, FIELD one of ${[...FIELDS].join(', ')}`);
    map[column] = field;
  }
  // The city's gazetteer and organisations, without the registry being replaced.
  const city = await loadCity(values.city as string, { registry: false });
  const csv = readCsvRecords(await readFile(values.input, 'utf8'), map);
  const fields = new Set(csv.columns.map((c) => map[c] ?? c));
  const lacking = [
    ...(fields.has('address') || (fields.has('street') && fields.has('house')) ? [] : ['street and house (or address)']),
    ...(fields.has('organisation') ? [] : ['organisation']),
    ...(fields.has('service') || values.service ? [] : ['service (or --service)']),
  ];
  if (lacking.length)
    throw new Error(`${values.input} has no ${lacking.join(', ')}; its columns: ${csv.columns.join(', ')}. Use --map COLUMN=FIELD.`);

  const streets = city.router.streets;
  if (!streets) throw new Error('the city has no gazetteer streets to read addresses with');
  const problems: Problem[] = [...csv.problems];
  const records = csv.records.flatMap(({ line, record }) => {
    const r: Partial<Record<RegistryField, string>> = { ...record };
    if (!r.service && values.service) r.service = values.service;
    // One address column ("ул. Кенесары, 40"): street and house are read the way an appeal's address is.
    if (record.address && !(r.street && r.house)) {
      const p = streets.place(record.address);
      if (!p?.house) {
        problems.push({ line, message: `address "${record.address}" has no street and house number` });
        return [];
      }
      r.street = p.street;
      r.house = p.house;
    }
    return [{ line, record: r }];
  });
  const reg = city.city.building_registry;
  const parsed = buildRegistry(records, {
    streets,
    configured: new Set(city.organisations.map((o) => o.id)),
    defaultParent: reg?.default_parent,
    kinds: reg?.kinds,
  });
  problems.push(...parsed.problems);
  for (const p of problems.sort((a, b) => a.line - b.line)) process.stderr.write(`line ${p.line}: skipped, ${p.message}\n`);

  await writeFile(values.out, registryCsv(parsed.rows, parsed.organisations));
  const unknown = [...parsed.registry.streets].filter(([, known]) => !known).length;
  process.stdout.write(
    `read ${csv.records.length + csv.problems.length} rows: wrote ${parsed.rows.length} buildings × services to ${values.out}, ` +
      `${parsed.organisations.length} new organisations, ${problems.length} lines skipped\n` +
      (unknown
        ? `note: ${unknown} of ${parsed.registry.streets.size} streets are not in the gazetteer (triage.yaml streets): appeals name them only as written\n`
        : ''),
  );
}

/** The normalised file: rows sorted by street, house number, house and service; an organisation named on its first row. */
export function registryCsv(rows: readonly RegistryRow[], organisations: readonly RegistryOrganisation[]): string {
  const orgs = new Map(organisations.map((o) => [o.id, o]));
  const sorted = [...rows].sort(
    (a, b) =>
      a.street.localeCompare(b.street, 'ru') ||
      (houseNumber(houseKey(a.house)) ?? 0) - (houseNumber(houseKey(b.house)) ?? 0) ||
      a.house.localeCompare(b.house, 'ru') ||
      a.service.localeCompare(b.service),
  );
  const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const named = new Set<string>();
  const lines = [REGISTRY_COLUMNS.join(',')];
  for (const r of sorted) {
    const o = orgs.get(r.organisation);
    const first = o && !named.has(o.id);
    if (o) named.add(o.id);
    const who = first ? [o.name.ru, o.name.kk, o.name.en === o.name.ru ? '' : o.name.en, o.kind, o.parent ?? ''] : ['', '', '', '', ''];
    lines.push([r.street, r.house, r.service, r.organisation, ...who].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function checkRegistry(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { city: { type: 'string', default: cityDir() } } });
  let city: Awaited<ReturnType<typeof loadCity>>;
  try {
    city = await loadCity(values.city as string);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  const { registry } = city;
  if (!registry.file) {
    process.stdout.write(`${join(values.city as string, 'city.yaml')} names no building_registry: routing uses no registry\n`);
    return;
  }
  const kinds = new Map<string, number>();
  const fromRegistry = new Set(registry.organisationIds);
  for (const o of city.organisations) if (fromRegistry.has(o.id)) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
  const unknown = [...registry.streets].filter(([, known]) => !known).map(([s]) => s);
  const rules = city.routing.flatMap((r, i) => (r.registry ? [`rule ${i} (${r.category} → ${r.registry})`] : []));
  const lines = [
    `${join(values.city as string, registry.file)}: valid`,
    `  buildings × services: ${registry.size} (${[...registry.services].map(([s, n]) => `${s} ${n}`).join(', ')})`,
    `  organisations named: ${fromRegistry.size} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`,
    `  streets: ${registry.streets.size}, of which not in the gazetteer: ${unknown.length}${unknown.length ? ` (${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''})` : ''}`,
    `  routing rules that ask it: ${rules.length ? rules.join(', ') : 'none'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
