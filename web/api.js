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
