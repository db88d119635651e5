// The building registry: which organisation serves each building for each service (the housing company — ОСИ,
// КСК — and the lift company of "Кенесары, 40"). A city keeps it as a CSV (format in docs/routing.md); the
// organisations it names join the city's organisations. Looking a building up is one Map read, however many rows.
import { csvParser } from '../triage/model/dataset.js';
import { HOUSE_PATTERN, houseKey, houseNumber, type StreetKeys } from './address.js';

/** The registry's columns, in the order the normalised file writes them. The first four are required. */
export const REGISTRY_COLUMNS = ['street', 'house', 'service', 'organisation', 'name_ru', 'name_kk', 'name_en', 'kind', 'parent'] as const;
export type RegistryField = (typeof REGISTRY_COLUMNS)[number];
const REQUIRED: RegistryField[] = ['street', 'house', 'service', 'organisation'];

export const ORGANISATION_KINDS = ['centre', 'department', 'district_akimat', 'utility', 'lift_company', 'housing', 'contractor'] as const;
type Kind = (typeof ORGANISATION_KINDS)[number];
const SLUG = /^[a-z0-9][a-z0-9_-]*$/;

export interface RegistryOrganisation {
  id: string;
  parent?: string;
  kind: Kind;
  name: { ru: string; kk: string; en: string };
  demo: boolean;
  /** The first line that names it. */
  line: number;
}

export interface RegistryRow {
  line: number;
  street: string;
  house: string;
  service: string;
  organisation: string;
}

export interface Problem {
  line: number;
  message: string;
}

export interface RegistryOptions {
  streets: StreetKeys;
  /** Organisations the city configures itself (organisations.yaml): a row may name one without its names. */
  configured: ReadonlySet<string>;
  /** The parent of a registry organisation whose row names none (e.g. the housing department). */
  defaultParent?: string | undefined;
  /** The kind of a registry organisation whose row names none, by service; else "contractor". */
  kinds?: Readonly<Record<string, Kind>> | undefined;
}

/** Building → organisation, per service. */
export class BuildingRegistry {
  private readonly byBuilding = new Map<string, { organisation: string; line: number }>();
  /** Rows per service. */
  readonly services = new Map<string, number>();
  /** Distinct street keys, and how many of them the gazetteer knows (residents' texts can name only those). */
  readonly streets = new Map<string, boolean>();
  /** The organisations that serve at least one building. */
  readonly organisationIds = new Set<string>();

  constructor(readonly file: string | null = null) {}

  get size(): number {
    return this.byBuilding.size;
  }

  /** Adds a building; the organisation already serving it for that service if there is one (then nothing changes). */
  add(streetKey: string, house: string, service: string, organisation: string, line: number): { organisation: string; line: number } | null {
    const key = `${service}\u0000${streetKey}\u0000${houseKey(house)}`;
    const before = this.byBuilding.get(key);
    if (before) return before;
    this.byBuilding.set(key, { organisation, line });
    this.services.set(service, (this.services.get(service) ?? 0) + 1);
    this.organisationIds.add(organisation);
    return null;
  }

  find(streetKey: string, houseKeyed: string, service: string): { organisation: string; line: number } | undefined {
    return this.byBuilding.get(`${service}\u0000${streetKey}\u0000${houseKeyed}`);
  }
}

export interface ParsedRegistry {
  registry: BuildingRegistry;
  organisations: RegistryOrganisation[];
  rows: RegistryRow[];
  problems: Problem[];
}

/** Reads registry records (a CSV's rows as field → text, with their line numbers); a bad row is a problem, not a stop. */
export function buildRegistry(
  records: Iterable<{ line: number; record: Partial<Record<RegistryField, string>> }>,
  o: RegistryOptions,
  file: string | null = null,
): ParsedRegistry {
  const registry = new BuildingRegistry(file);
  const organisations = new Map<string, RegistryOrganisation>();
  const rows: RegistryRow[] = [];
  const problems: Problem[] = [];
  for (const { line, record } of records) {
    const f = (k: RegistryField) => (record[k] ?? '').trim().replace(/\s+/g, ' ');
    const bad = (message: string) => problems.push({ line, message });
    const missing = REQUIRED.filter((k) => !f(k));
    if (missing.length) {
      bad(`no ${missing.join(', ')}`);
      continue;
    }
    const [street, house, service, organisation] = REQUIRED.map(f) as [string, string, string, string];
    if (!HOUSE_PATTERN.test(house) || houseNumber(houseKey(house)) === null) {
      bad(`house "${house}" is not a house number (like 40, 40а, 12/1)`);
      continue;
    }
    if (!SLUG.test(service)) {
      bad(`service "${service}" must be lowercase letters, digits, "-" or "_" (like housing, lift)`);
      continue;
    }
    if (!SLUG.test(organisation)) {
      bad(`organisation "${organisation}" must be an id of lowercase letters, digits, "-" or "_"`);
      continue;
    }
    const kind = f('kind');
    if (kind && !(ORGANISATION_KINDS as readonly string[]).includes(kind)) {
      bad(`kind "${kind}" is not one of ${ORGANISATION_KINDS.join(', ')}`);
      continue;
    }
    if (!o.configured.has(organisation)) {
      const names = { ru: f('name_ru'), kk: f('name_kk'), en: f('name_en') };
      const known = organisations.get(organisation);
      if (!known) {
        if (!names.ru || !names.kk) {
          bad(`organisation ${organisation} appears for the first time without its name_ru and name_kk`);
          continue;
        }
        const parent = f('parent') || o.defaultParent;
        organisations.set(organisation, {
          id: organisation,
          ...(parent ? { parent } : {}),
          kind: (kind || o.kinds?.[service] || 'contractor') as Kind,
          // No English name in the registry: the Russian one is shown to English readers.
          name: { ru: names.ru, kk: names.kk, en: names.en || names.ru },
          demo: /\((?:демо|demo)\)/iu.test(names.ru),
          line,
        });
      } else if ((names.ru && names.ru !== known.name.ru) || (names.kk && names.kk !== known.name.kk)) {
        bad(`organisation ${organisation} is named differently than on line ${known.line}`);
        continue;
      }
    }
    const s = o.streets.street(street);
    registry.streets.set(s.key, s.known);
    const before = registry.add(s.key, house, service, organisation, line);
    if (before && before.organisation !== organisation) {
      bad(`${s.street}, ${house} (${service}) is already served by ${before.organisation} (line ${before.line})`);
      continue;
    }
    if (!before) rows.push({ line, street: s.street, house: house.replace(/\s+/g, ''), service, organisation });
  }
  const ids = new Set([...o.configured, ...organisations.keys()]);
  for (const org of organisations.values()) {
    if (org.parent && !ids.has(org.parent)) problems.push({ line: org.line, message: `organisation ${org.id} has unknown parent ${org.parent}` });
    // A parent chain that comes back to where it started has no top: its tickets would be nobody's to supervise.
    const seen = new Set([org.id]);
    for (let up = org.parent && organisations.get(org.parent); up; up = up.parent && organisations.get(up.parent)) {
      if (seen.has(up.id)) {
        problems.push({ line: org.line, message: `organisation ${org.id} is its own ancestor (through ${up.id})` });
        break;
      }
      seen.add(up.id);
    }
  }
  return { registry, organisations: [...organisations.values()], rows, problems };
}

/** CSV text → records by column name, with the line each starts on; a malformed line is a problem. */
export function readCsvRecords(
  text: string,
  map: Readonly<Record<string, string>> = {},
): { records: { line: number; record: Record<string, string> }[]; problems: Problem[]; columns: string[] } {
  const records: { line: number; record: Record<string, string> }[] = [];
  const problems: Problem[] = [];
  let header: string[] | null = null;
  const parser = csvParser((line, fields, error) => {
    if (!fields) return void problems.push({ line, message: error ?? 'malformed CSV' });
    if (!header) {
      header = fields.map((h) => h.trim());
      return;
    }
    if (fields.length !== header.length) return void problems.push({ line, message: `expected ${header.length} fields, found ${fields.length}` });
    const record: Record<string, string> = {};
    header.forEach((h, i) => {
      record[map[h] ?? h] = fields[i] as string;
    });
    records.push({ line, record });
  });
  parser.write(text);
  parser.close();
  return { records, problems, columns: (header as string[] | null) ?? [] };
}
