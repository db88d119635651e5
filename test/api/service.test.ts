// The service answers as operations expect: health, readiness, the OpenAPI document, security headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
beforeAll(async () => {
  c = await startTestCentre({}, { demo: false });
});
afterAll(() => c?.close());

describe('service endpoints', () => {
  it('answers /health and /ready', async () => {
    expect((await c.api('/health')).body).toEqual({ status: 'ok' });
    const ready = await c.api('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.database).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('publishes the OpenAPI document of the native API at /docs', async () => {
    const doc = await c.api('/docs/json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/appeals', '/api/v1/tickets/{number}/actions']));
    expect((await c.api('/docs')).status).toBe(200);
  });

  it('sends security headers and a strict content security policy', async () => {
    const r = await c.api('/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const r = await c.api('/api/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});
