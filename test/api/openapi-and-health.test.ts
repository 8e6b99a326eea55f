import SwaggerParser from '@apidevtools/swagger-parser';
import { Client, Connection } from '@temporalio/client';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { buildApiApp } from '../../src/api/app';
import { openOrm } from '../../src/db/orm';
import { startApiHarness, type ApiHarness } from './support/api-harness';
import type { ErrorBody } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document with every endpoint of the seed, secured by bearer tokens', async () => {
    const res = await h.call<OpenAPIV3_1.Document>('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'POST /booking-requests/',
        'GET /booking-requests/',
        'GET /booking-requests/{id}',
        'PUT /booking-requests/{id}/approve',
        'POST /booking-requests/{id}/withdraw',
        'GET /booking-requests/{id}/scored-slots',
        'GET /bookings/',
        'GET /bookings/{id}',
        'POST /bookings/{id}/cancel',
        'POST /bookings/{id}/reschedule',
        'GET /booking-series/{id}',
        'POST /time-slots/bulk-create',
        'GET /time-slots/trainer/{id}/available',
        'POST /time-slots/trainer/{id}/time-off',
        'GET /trainers/{id}/policy',
        'PUT /trainers/{id}/policy',
        'GET /trainers/{id}/packages',
        'POST /trainers/{id}/packages',
        'POST /trainers/{id}/packages/{package_id}/deactivate',
        'POST /payments',
        'GET /payments',
        'GET /credits/balances',
        'GET /credits/ledger',
        'GET /trainers/{id}/credits/low',
        'GET /calendar/{token}.ics',
        'GET /calendar/bookings/{calendar_key}.ics',
        'POST /calendar/feed-token',
        'DELETE /calendar/feed-token',
        'GET /health',
        'GET /ready',
      ].sort(),
    );
    // Every write the trainer's policy can refuse documents its 422 (the rule's code); 429 is checked in rate-limit.test.ts (the limit is off here).
    for (const [path, method] of [
      ['/booking-requests/', 'post'],
      ['/booking-requests/{id}/approve', 'put'],
      ['/booking-requests/{id}/withdraw', 'post'],
      ['/bookings/{id}/cancel', 'post'],
      ['/bookings/{id}/reschedule', 'post'],
      ['/time-slots/trainer/{id}/time-off', 'post'],
      ['/trainers/{id}/policy', 'put'],
    ] as const) {
      expect(Object.keys(doc.paths?.[path]?.[method]?.responses ?? {}), `${method.toUpperCase()} ${path}`).toContain('422');
    }
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths?.['/health']?.get?.security).toEqual([]);
    // The request body is described from its zod schema, snake_case as in the seed.
    const create = doc.paths?.['/booking-requests/']?.post?.requestBody as OpenAPIV3_1.RequestBodyObject;
    const schema = create.content['application/json']!.schema as OpenAPIV3_1.SchemaObject;
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['trainer_id', 'session_type', 'duration_minutes', 'preferred_times', 'avoid_times', 'allow_weekends', 'allow_evenings']));
    // A weekly series' recurrence, as strict as JSON Schema says it: known fields, bounds, enums, weekdays once, count xor until.
    const ref = (schema.properties?.recurrence as OpenAPIV3_1.ReferenceObject).$ref.split('/').at(-1)!;
    const recurrence = doc.components?.schemas?.[ref] as OpenAPIV3_1.SchemaObject;
    const field = (name: string) => recurrence.properties?.[name] as OpenAPIV3_1.SchemaObject;
    expect(recurrence).toMatchObject({ additionalProperties: false, required: ['frequency'], oneOf: [{ required: ['count'] }, { required: ['until'] }] });
    expect(field('interval')).toMatchObject({ type: 'integer', minimum: 1, maximum: 4, default: 1 });
    expect(field('weekdays')).toMatchObject({ type: 'array', minItems: 1, maxItems: 7, uniqueItems: true, items: { enum: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] } });
    expect(field('count')).toMatchObject({ type: 'integer', minimum: 1, maximum: 52 });
    expect(field('until')).toMatchObject({ type: 'string', format: 'date' });
    expect(field('conflict_mode')).toMatchObject({ enum: ['all_or_nothing', 'available_only'], default: 'all_or_nothing' });
    const cancel = doc.paths?.['/bookings/{id}/cancel']?.post?.requestBody as OpenAPIV3_1.RequestBodyObject;
    expect(JSON.stringify(cancel.content['application/json']!.schema)).toContain('"enum":["this","this_and_following"]');
    // Packs, payments and credits (issue 13): each operation's statuses, money as integer minor units, never a float.
    for (const [path, method, statuses] of [
      ['/trainers/{id}/packages', 'get', ['200', '401', '403', '404']],
      ['/trainers/{id}/packages', 'post', ['201', '401', '403', '404', '422']],
      ['/trainers/{id}/packages/{package_id}/deactivate', 'post', ['200', '401', '403', '404']],
      ['/payments', 'post', ['200', '201', '401', '403', '422']],
      ['/payments', 'get', ['200', '401', '403']],
      ['/credits/balances', 'get', ['200', '401', '403']],
      ['/credits/ledger', 'get', ['200', '401', '403', '404', '422']],
      ['/trainers/{id}/credits/low', 'get', ['200', '401', '403', '404']],
      ['/calendar/{token}.ics', 'get', ['200', '404']],
      ['/calendar/bookings/{calendar_key}.ics', 'get', ['200', '404']],
      ['/calendar/feed-token', 'post', ['201', '401', '403']],
      ['/calendar/feed-token', 'delete', ['200', '401', '403']],
    ] as const) {
      expect(Object.keys(doc.paths?.[path]?.[method]?.responses ?? {}).sort(), `${method.toUpperCase()} ${path}`).toEqual([...statuses].sort());
    }
    const schemaNamed = (id: string) => doc.components?.schemas?.[id] as OpenAPIV3_1.SchemaObject;
    const paymentBody = schemaNamed('PaymentCreate');
    expect(paymentBody.additionalProperties).toBe(false);
    expect(paymentBody.required).toEqual(expect.arrayContaining(['client_id', 'trainer_id', 'amount_minor', 'currency', 'method']));
    expect(paymentBody.properties?.amount_minor).toMatchObject({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    expect(paymentBody.properties?.method).toMatchObject({ enum: ['cash', 'bank_transfer', 'card_at_gym', 'other'] });
    expect(schemaNamed('PackageTypeCreate').properties?.price_minor).toMatchObject({ type: 'integer', minimum: 0 });
    expect(doc.paths?.['/payments']?.post?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]));
    for (const id of ['PackageType', 'RecordedPayment', 'Payment']) {
      expect(schemaNamed(id).properties, id).toMatchObject({ currency: { type: 'string' } });
      expect(Object.keys(schemaNamed(id).properties ?? {}), id).toEqual(expect.arrayContaining([id === 'PackageType' ? 'price_minor' : 'amount_minor', id === 'PackageType' ? 'price' : 'amount']));
    }
    expect(Object.keys(schemaNamed('CreditBalance').properties ?? {})).toEqual(expect.arrayContaining(['available', 'reserved', 'next_expiry', 'lots']));
    expect(Object.keys(schemaNamed('CreditLot').properties ?? {})).toEqual(expect.arrayContaining(['available', 'sessions', 'session_minutes', 'expires_at']));
    expect(JSON.stringify(schemaNamed('Booking').properties?.credit)).toContain('BookingCredit');
    // Calendars (issue 14): the files are public (their URL is the secret) and answer text/calendar.
    for (const path of ['/calendar/{token}.ics', '/calendar/bookings/{calendar_key}.ics'] as const) {
      expect(doc.paths?.[path]?.get?.security, path).toEqual([]);
      expect(Object.keys((doc.paths?.[path]?.get?.responses?.['200'] as OpenAPIV3_1.ResponseObject).content ?? {}), path).toEqual(['text/calendar']);
    }
    // The same document is served beside the docs page.
    expect((await h.call('GET', '/docs/json')).body).toEqual(doc);
  });

  it('serves the interactive docs page and its scripts from the package itself (works offline)', async () => {
    const page = await fetch(`${h.api.url}/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/(src|href)="https?:/);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-initializer.js']) {
      const res = await fetch(`${h.api.url}/docs/static/${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    }
  });

  it('answers an unknown route with the error shape', async () => {
    expect(await h.call<ErrorBody>('GET', '/nowhere')).toMatchObject({ status: 404, body: { statusCode: 404, error: 'not_found' } });
  });
});

describe('health and readiness', () => {
  it('are public and report ok when PostgreSQL and Temporal answer', async () => {
    expect(await h.call('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await h.call('GET', '/ready')).toEqual({ status: 200, body: { status: 'ready', checks: { database: { status: 'ok' }, temporal: { status: 'ok' } } } });
  });

  it('reports 503 naming what is down', async () => {
    // A database that is not there: nothing listens on port 1.
    const orm = await openOrm('postgresql://postgres:unused@127.0.0.1:1/nothing', { pool: { min: 0, max: 1 } });
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    await connection.close();
    const app = await buildApiApp({
      orm,
      bookings: h.worker.bookings,
      temporalClient: new Client({ connection }),
      config: { API_HOST: '127.0.0.1', API_PORT: 0 },
    });
    try {
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const res = await fetch(`${address}/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'not_ready', checks: { database: { status: 'failing' }, temporal: { status: 'failing' } } });
      expect((await fetch(`${address}/health`)).status).toBe(200);
    } finally {
      await app.close();
      await orm.close(true);
    }
  });
});
