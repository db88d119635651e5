// The centre's JSON API. Errors come back as ApiError with the API's code, HTTP status and field details.
import { localName, setCityOffset, t } from './i18n.js';

const TOKEN_KEY = 'qala.token';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = Array.isArray(details) ? details : [];
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(v) {
    if (v) sessionStorage.setItem(TOKEN_KEY, v);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  user: null,
};

export async function api(path, { method, body, headers = {} } = {}) {
  const h = { accept: 'application/json', ...headers };
  if (session.token) h.authorization = `Bearer ${session.token}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data?.error ?? {};
    throw new ApiError(res.status, e.code ?? (res.status >= 500 ? 'internal' : 'validation'), e.message ?? res.statusText, e.details);
  }
  return data;
}

/** A key for Idempotency-Key, so a retried submission files one appeal, not two. */
export function idempotencyKey() {
  return `web-${crypto.randomUUID()}`;
}

/** The localized message for an error; field details are left to the form that shows them. */
export function errorText(err) {
  const code = err instanceof ApiError ? err.code : 'internal';
  const key = `error.${code}`;
  const text = t(key);
  return text === key ? t('error.internal') : text;
}

/**
 * One problem of a 400's details in the page's language: the sentence for its code and parameters (admin.issue.*,
 * lang/areas/admin.js), or the server's own words for a code this page does not know.
 */
export function detailText(d) {
  const p = d?.params ?? {};
  const list = (xs) => (Array.isArray(xs) ? xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : '');
  const vars = { ...p, values: list(p.values), keys: list(p.keys) };
  let key = `admin.issue.${d?.code}`;
  if (d?.code === 'too_small' || d?.code === 'too_big') {
    const bound = d.code === 'too_small' ? p.minimum : p.maximum;
    vars.n = bound;
    // An empty text where one is needed is the common case: "fill in this field", not "at least 1 character".
    if (d.code === 'too_small' && p.origin === 'string' && bound === 1) key = 'admin.issue.required';
    else key += `.${p.origin}${p.origin === 'number' && p.inclusive === false ? '.exclusive' : ''}`;
  } else if (d?.code === 'invalid_type' || d?.code === 'invalid_format') key += `.${d.code === 'invalid_type' ? p.expected : p.format}`;
  else if (d?.code === 'invalid_value' && Array.isArray(p.values) && p.values.length === 1) key += '.one';
  const text = t(key, vars);
  return text === key ? String(d?.message ?? '') : text;
}

// Reference data (categories, organisations, districts), loaded once, to show names in the page's language.
const ref = { categories: new Map(), organisations: new Map(), districts: new Map(), loaded: null };

export function loadReference() {
  ref.loaded ??= Promise.all([api('/categories'), api('/organisations'), api('/districts')])
    .then(([cats, orgs, dists]) => {
      for (const c of cats) ref.categories.set(c.code, c.name);
      for (const o of orgs) ref.organisations.set(o.id, o.name);
      for (const d of dists.districts ?? []) ref.districts.set(d.id, d.name);
      setCityOffset(dists.utc_offset_minutes);
    })
    .catch(() => {
      ref.loaded = null; // names fall back to what each answer carries; try again next time
    });
  return ref.loaded ?? Promise.resolve();
}

/** The organisations to choose from when assigning: [{id, names}] in the order of the city's configuration. */
export function organisations() {
  return [...ref.organisations].map(([id, names]) => ({ id, names }));
}

export function categories() {
  return [...ref.categories].map(([code, names]) => ({ code, names }));
}

/** Names for an API {code|id, name} object in the page's language, falling back to the name the API sent. */
export const names = {
  category: (c) => (c ? localName(ref.categories.get(c.code) ?? c.name) : null),
  organisation: (o) => (o ? localName(ref.organisations.get(o.id) ?? o.name) : null),
  district: (d) => (d ? localName(ref.districts.get(d.id) ?? d.name) : null),
};
