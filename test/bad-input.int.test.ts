/**
 * Bad input gets a clear, coded 4xx, stores nothing and crashes nothing; bad tokens get 401.
 */
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type Appliance } from './appliance.js';
import { call, createTenantClient, operatorToken, type ApiResponse, type Envelope, type Page, type TenantClient } from './api-client.js';

let app: Appliance;
let a: TenantClient;

async function count(): Promise<number> {
  const r = await call<Envelope<Page<unknown>>>(`${app.url}/api/v1/prescriptions?limit=100`, { token: a.token });
  return r.body.data.items.length;
}

beforeAll(async () => {
  app = await startAppliance();
  a = await createTenantClient(app.url, await operatorToken(app.url, app.adminPassword), 'Bad Input Hospital');
});
afterAll(async () => {
  await app?.close();
});

const post = (body: BodyInit, contentType = 'application/json', path = '/api/v1/prescriptions') =>
  call<Envelope>(`${app.url}${path}`, { method: 'POST', token: a.token, headers: { 'content-type': contentType }, body });

describe('bad input', () => {
  const cases: Array<[string, () => Promise<ApiResponse<Envelope>>, number, string]> = [
    ['malformed JSON', () => post('{"text": "Metformin 500 mg'), 400, 'INVALID_JSON'],
    ['wrong types', () => post(JSON.stringify({ text: 42 })), 400, 'VALIDATION_FAILED'],
    ['missing text', () => post(JSON.stringify({ patient_ref: 'x' })), 400, 'VALIDATION_FAILED'],
    ['empty text', () => post(JSON.stringify({ text: '   \n ' })), 400, 'EMPTY_TEXT'],
    ['10 MB text', () => post(JSON.stringify({ text: 'a'.repeat(10 * 1024 * 1024) })), 413, 'PAYLOAD_TOO_LARGE'],
    ['invalid UTF-8', () => post(new Uint8Array([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d])), 400, 'INVALID_UTF8'],
    ['a PDF that is not a PDF', () => post(new TextEncoder().encode('this is not a pdf at all'), 'application/pdf'), 400, 'INVALID_PDF'],
    // Only the PNG signature: OCR cannot decode it (INVALID_IMAGE once core/errors.ts has it).
    ['a truncated photo', () => post(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'), 400, 'INVALID_IMAGE'],
    ['an empty photo (no bytes)', () => post(new Uint8Array(0), 'image/png'), 400, 'EMPTY_TEXT'],
    ['an empty multipart file', () => { const f = new FormData(); f.set('file', new Blob([], { type: 'image/jpeg' }), 'scan.jpg'); return call<Envelope>(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: a.token, body: f }); }, 400, 'EMPTY_TEXT'],
    ['an unknown content type', () => post('x', 'application/xml'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a batch of 1,001 items', () => post(JSON.stringify({ items: Array.from({ length: 1001 }, () => ({ text: 'Aspirin 81 mg daily' })) }), 'application/json', '/api/v1/prescriptions/batch'), 400, 'BATCH_TOO_LARGE'],
    ['a batch with an empty item', () => post(JSON.stringify({ items: [{ text: 'Aspirin 81 mg daily' }, { text: '' }] }), 'application/json', '/api/v1/prescriptions/batch'), 400, 'EMPTY_TEXT'],
    ['an unknown job id', () => call<Envelope>(`${app.url}/api/v1/jobs/01HZZZZZZZZZZZZZZZZZZZZZZZ`, { token: a.token }), 404, 'NOT_FOUND'],
    ['an unknown prescription id', () => call<Envelope>(`${app.url}/api/v1/prescriptions/nope`, { token: a.token }), 404, 'NOT_FOUND'],
  ];
  for (const [name, send, status, code] of cases) {
    it(`${name} → ${status} ${code}, nothing stored`, async () => {
      const before = await count();
      const r = await send();
      expect(r.status).toBe(status);
      expect(r.body.status).toBe('error');
      expect(r.body.error.code).toBe(code);
      expect(r.body.metadata.request_id).toBeTruthy();
      expect(await count()).toBe(before);
      expect((await call(`${app.url}/healthz`)).status).toBe(200);
    });
  }
});

describe('bad tokens → 401', () => {
  const rx = (token?: string) => call<Envelope>(`${app.url}/api/v1/prescriptions`, { token });

  it('missing token', async () => {
    const r = await rx();
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('tampered, alg none, another audience, expired, unknown key', async () => {
    const [h, p, s] = a.token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, tenant: 'someone-else' })).toString('base64url')}.${s}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const { privateKey } = await generateKeyPair('EdDSA');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
    const foreign = await new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: header.kid }).sign(privateKey);
    const sig = s!.split('');
    sig[5] = sig[5] === 'A' ? 'B' : 'A';
    const badSig = `${h}.${p}.${sig.join('')}`;
    for (const t of [tampered, none, foreign, badSig, 'not-a-jwt']) {
      const r = await rx(t);
      expect(r.status, t.slice(0, 20)).toBe(401);
      expect(r.body.error.code).toBe('INVALID_TOKEN');
    }
  });
});
