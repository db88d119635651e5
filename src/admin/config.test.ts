// An admin's invalid section comes back as problems with a code and parameters (so the form can say them in
// Kazakh or Russian) beside the English message: zod's own codes for the shape, stable codes for the cross-checks.
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleCity, type CityFiles, ConfigError, fileSection, issueCode, type Overrides, readCityFiles } from '../config/load.js';
import { AppError } from '../errors.js';
import { invalid } from './config.js';

let files: CityFiles;
beforeAll(async () => {
  files = await readCityFiles('config/cities/astana');
});

/** The details an admin's PUT answers with, for the files with `overrides` on top. */
async function details(overrides: Overrides) {
  const e = await assembleCity(files, overrides, { registry: false }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  const app = invalid(e as ConfigError);
  expect(app).toBeInstanceOf(AppError);
  expect(app.code).toBe('validation');
  return app.details as { field: string; section: string; code: string; params?: Record<string, unknown>; message: string }[];
}

const section = <T>(name: Parameters<typeof fileSection>[1]) => structuredClone(fileSection(files, name)) as T;

describe('configuration problems carry a code and its parameters', () => {
  it('gives zod bounds with the code: a negative duration is too_small for a number, exclusively above 0', async () => {
    const sla = section<{ targets: { resolution: unknown }[] }>('sla');
    (sla.targets[0] as { resolution: unknown }).resolution = { hours: -3 };
    expect(await details({ sla })).toEqual([
      {
        field: 'targets.0.resolution.hours',
        section: 'sla',
        code: 'too_small',
        params: { origin: 'number', minimum: 0, inclusive: false },
        message: 'Too small: expected number to be >0',
      },
    ]);
  });

  it('names an empty name, a wrong type, an enum value and a slug format by code', async () => {
    const orgs = section<{ organisations: Record<string, unknown>[] }>('organisations');
    const o = orgs.organisations[1] as { name: Record<string, unknown>; id: string; kind: unknown };
    o.name.ru = '';
    o.name.kk = 5;
    o.kind = 'castle';
    o.id = 'Not A Slug';
    const got = await details({ organisations: orgs });
    const by = (field: string) => got.find((d) => d.field === field);
    expect(by('organisations.1.name.ru')).toMatchObject({ code: 'too_small', params: { origin: 'string', minimum: 1, inclusive: true } });
    expect(by('organisations.1.name.kk')).toMatchObject({ code: 'invalid_type', params: { expected: 'string' } });
    expect(by('organisations.1.kind')).toMatchObject({ code: 'invalid_value' });
    expect((by('organisations.1.kind')?.params?.values as string[] | undefined)?.length).toBeGreaterThan(1);
    expect(by('organisations.1.id')).toMatchObject({ code: 'invalid_format', params: { format: 'slug' } });
    // Never the value itself: only what the sentence needs.
    for (const d of got) expect(JSON.stringify(d.params ?? {})).not.toContain('castle');
  });

  it('gives a refinement its own code: a rule with both an organisation and a registry service', async () => {
    const routing = section<{ rules: Record<string, unknown>[] }>('routing');
    (routing.rules[0] as Record<string, unknown>).registry = 'housing';
    const got = await details({ routing });
    expect(got).toContainEqual(expect.objectContaining({ field: 'rules.0', code: 'rule_target' }));
  });

  it('codes the cross-checks: unknown organisation and category, duplicate id, missing default target, date outside its year', async () => {
    const routing = section<{ rules: Record<string, unknown>[] }>('routing');
    const rule = routing.rules.find((r) => r.organisation) as Record<string, unknown>;
    const i = routing.rules.indexOf(rule);
    rule.organisation = 'no-such-org';
    rule.category = 'NOPE';
    const got = await details({ routing });
    expect(got).toContainEqual({
      field: `rules.${i}.organisation`,
      section: 'routing',
      code: 'unknown_organisation',
      params: { id: 'no-such-org' },
      message: `routing.yaml rule ${i}: unknown organisation no-such-org`,
    });
    expect(got).toContainEqual(expect.objectContaining({ field: `rules.${i}.category`, code: 'unknown_category', params: { id: 'NOPE' } }));

    const orgs = section<{ organisations: { id: string }[] }>('organisations');
    orgs.organisations.push({ ...(orgs.organisations[2] as { id: string }) });
    expect(await details({ organisations: orgs })).toContainEqual(
      expect.objectContaining({ field: 'organisations', code: 'duplicate_id', params: { id: orgs.organisations[2]?.id } }),
    );

    const sla = section<{ targets: { category: string; urgency?: string }[] }>('sla');
    sla.targets = sla.targets.filter((t) => !(t.category === '*' && !t.urgency));
    expect(await details({ sla })).toEqual([expect.objectContaining({ field: 'targets', code: 'default_target_missing' })]);

    const calendar = section<{ years: { year: number; days_off: { date: string }[] }[] }>('calendar');
    const y = calendar.years[0] as { year: number; days_off: { date: string }[] };
    (y.days_off[0] as { date: string }).date = `${y.year + 1}-01-05`;
    expect(await details({ calendar })).toContainEqual(
      expect.objectContaining({
        field: `years.0.days_off.0.date`,
        code: 'date_outside_year',
        params: { date: `${y.year + 1}-01-05`, year: y.year },
      }),
    );
  });

  it('codes a missing template and a variant without its general template', async () => {
    const { templates } = section<{ templates: Record<string, unknown> }>('templates');
    delete templates['question.asked'];
    templates['status.rejected@WATR'] = { ru: 'а', kk: 'ә', en: 'a' };
    delete templates['status.rejected'];
    const got = await details({ templates: { templates } });
    expect(got).toContainEqual(
      expect.objectContaining({ field: 'templates.question.asked', code: 'template_missing', params: { key: 'question.asked' } }),
    );
    expect(got).toContainEqual(
      expect.objectContaining({ code: 'template_general_missing', params: { key: 'status.rejected@WATR', base: 'status.rejected' } }),
    );
  });
});

describe('issueCode', () => {
  it('keeps the parameters a sentence needs and drops the input', () => {
    expect(issueCode('too_big', { origin: 'string', maximum: 3n, inclusive: true, input: 'secret' })).toEqual({
      code: 'too_big',
      params: { origin: 'string', maximum: 3, inclusive: true },
    });
    expect(issueCode('unrecognized_keys', { keys: ['x'] })).toEqual({ code: 'unrecognized_keys', params: { keys: ['x'] } });
    expect(issueCode('invalid_union', { errors: [[]] })).toEqual({ code: 'invalid_union' });
  });

  it("takes a refinement's own code and its parameters", () => {
    expect(issueCode('custom', { params: { code: 'template_variables', variables: '{number}' } })).toEqual({
      code: 'template_variables',
      params: { variables: '{number}' },
    });
    expect(issueCode('custom', {})).toEqual({ code: 'custom' });
  });
});
