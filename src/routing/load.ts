// Routing's part of loading a city: the building registry file named in city.yaml (strict: any bad line stops the
// start, with its line number), and the router built from routing.yaml, the gazetteer and the registry.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GazetteerStreet } from '../triage/address.js';
import { StreetKeys } from './address.js';
import { BuildingRegistry, buildRegistry, type Problem, type RegistryOptions, type RegistryOrganisation, readCsvRecords } from './registry.js';
import { Router, type RoutingRule, RoutingRuleError } from './rules.js';

export interface RegistrySettings {
  file: string;
  default_parent?: string | undefined;
  kinds?: RegistryOptions['kinds'];
}

export interface LoadedRegistry {
  registry: BuildingRegistry;
  organisations: { id: string; parent?: string; kind: RegistryOrganisation['kind']; name: RegistryOrganisation['name']; demo: boolean }[];
  problems: string[];
}

const MAX_REPORTED = 20;

/** Reports problems as "file line N: …", at most 20 of them and how many more there are. */
export function describeProblems(file: string, problems: readonly Problem[]): string[] {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const lines = sorted.slice(0, MAX_REPORTED).map((p) => `${file} line ${p.line}: ${p.message}`);
  if (sorted.length > MAX_REPORTED) lines.push(`${file}: … and ${sorted.length - MAX_REPORTED} more problems`);
  return lines;
}

export async function loadRegistry(
  dir: string,
  settings: RegistrySettings | undefined,
  configured: ReadonlySet<string>,
  streets: StreetKeys,
): Promise<LoadedRegistry> {
  if (!settings) return { registry: new BuildingRegistry(null), organisations: [], problems: [] };
  let text: string;
  try {
    text = await readFile(join(dir, settings.file), 'utf8');
  } catch (e) {
    return {
      registry: new BuildingRegistry(settings.file),
      organisations: [],
      problems: [`city.yaml: building_registry.file: ${(e as Error).message}`],
    };
  }
  const csv = readCsvRecords(text);
  const missing = ['street', 'house', 'service', 'organisation'].filter((c) => !csv.columns.includes(c));
  if (missing.length)
    return {
      registry: new BuildingRegistry(settings.file),
      organisations: [],
      problems: [`${settings.file} line 1: the header lacks the column(s) ${missing.join(', ')} (docs/routing.md)`],
    };
  const parsed = buildRegistry(csv.records, { streets, configured, defaultParent: settings.default_parent, kinds: settings.kinds }, settings.file);
  const problems = describeProblems(settings.file, [...csv.problems, ...parsed.problems]);
  if (settings.default_parent && !configured.has(settings.default_parent))
    problems.push(`city.yaml: building_registry.default_parent ${settings.default_parent} is not an organisation of organisations.yaml`);
  const organisations = parsed.organisations.map(({ line: _line, ...o }) => o);
  return { registry: parsed.registry, organisations, problems };
}

/** Checks the rules against the registry and builds the router; problems are returned, not thrown. */
export function buildRouter(
  rules: RoutingRule[],
  streets: StreetKeys,
  registry: BuildingRegistry,
  name: (id: string) => string | undefined,
  checkServices = true,
): { router: Router | null; problems: string[] } {
  const problems: string[] = [];
  for (const [i, r] of rules.entries())
    if (checkServices && r.registry && !registry.services.has(r.registry))
      problems.push(
        `routing.yaml rule ${i}: registry service ${r.registry} has no buildings in ${registry.file ? `the building registry ${registry.file}` : 'the building registry (city.yaml building_registry is not set)'}`,
      );
  try {
    return { router: new Router(rules, { streets, registry, name }), problems };
  } catch (e) {
    if (!(e instanceof RoutingRuleError)) throw e;
    return { router: null, problems: [...problems, `routing.yaml ${e.message}`] };
  }
}

export function streetKeysOf(streets: readonly GazetteerStreet[]): StreetKeys {
  return new StreetKeys(streets);
}
