/**
 * Textract through the real @aws-sdk/client-textract client, pointed at a loopback server replaying
 * recorded DetectDocumentText / StartDocumentTextDetection / GetDocumentTextDetection responses.
 */
import { TextractClient } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { loadReplayErrors, loadReplayFixture, startReplayServer, type ReplayRoute } from '../../test/replay-server.js';
import { renderPrescriptionPng, renderScannedPdf } from '../../test/render-prescription.js';
import { describeOcrConformance, expectPrescriptionA, PRESCRIPTION_A, PRESCRIPTION_B } from './ocr-model.conformance.js';
import { createTextractOcr, type TextractS3Stager } from './textract-ocr.js';

async function setup(routes: ReplayRoute[], extra: { s3?: TextractS3Stager; maxAttempts?: number } = {}) {
  const server = await startReplayServer(routes);
  const client = new TextractClient({
    region: 'eu-west-1',
    endpoint: server.url,
    maxAttempts: extra.maxAttempts ?? 3,
    credentials: { accessKeyId: 'AKIDREPLAY', secretAccessKey: 'replay-secret' },
  });
  const model = createTextractOcr({ client, s3: extra.s3, pollIntervalMs: 5 });
  return {
    server,
    model,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}

describeOcrConformance('textract (replayed)', async () => setup(await loadReplayFixture('textract-detect-document-text')));

describe('textract ocr', () => {
  it('sends the image inline to DetectDocumentText as signed JSON 1.1', async () => {
    const h = await setup(await loadReplayFixture('textract-detect-document-text'));
    try {
      const png = await renderPrescriptionPng(PRESCRIPTION_A);
      await h.model.recognize({ bytes: png, mime: 'image/png' });
      const [req] = h.server.requests;
      expect(req!.headers['x-amz-target']).toBe('Textract.DetectDocumentText');
      expect(req!.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(req!.headers['authorization']).toMatch(/Credential=AKIDREPLAY\/\d{8}\/eu-west-1\/textract\//);
      expect(JSON.parse(req!.body)).toEqual({ Document: { Bytes: png.toString('base64') } });
    } finally {
      await h.close();
    }
  });

  it('runs the async API for a multi-page PDF when S3 is configured: stage, start, poll, page through, clean up', async () => {
    const staged = new Map<string, Uint8Array>();
    const s3: TextractS3Stager = {
      bucket: 'wardclerk-ocr',
      put: async (key, bytes) => void staged.set(key, bytes),
      delete: async (key) => void staged.delete(key),
    };
    const h = await setup(await loadReplayFixture('textract-document-text-detection-async'), { s3 });
    try {
      const pdf = await renderScannedPdf([await renderPrescriptionPng(PRESCRIPTION_A), await renderPrescriptionPng(PRESCRIPTION_B)]);
      const r = await h.model.recognize({ bytes: pdf, mime: 'application/pdf' });
      expect(r.pages.map((p) => p.index)).toEqual([0, 1]);
      expectPrescriptionA(r.pages[0]!);
      expect(r.pages[1]!.text).toMatch(/amoxicillin 250 mg/i);
      const targets = h.server.requests.map((q) => q.headers['x-amz-target']);
      expect(targets).toEqual([
        'Textract.StartDocumentTextDetection',
        'Textract.GetDocumentTextDetection',
        'Textract.GetDocumentTextDetection',
        'Textract.GetDocumentTextDetection',
      ]);
      const start = JSON.parse(h.server.requests[0]!.body) as { DocumentLocation: { S3Object: { Bucket: string; Name: string } } };
      expect(start.DocumentLocation.S3Object.Bucket).toBe('wardclerk-ocr');
      expect(start.DocumentLocation.S3Object.Name).toMatch(/^wardclerk\/ocr\/.+\.pdf$/);
      expect(JSON.parse(h.server.requests[3]!.body)).toMatchObject({ NextToken: 'AYADeL3q8mZ0token1' });
      expect(staged.size).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('retries a 429 and a 500 and then succeeds', async () => {
    const errors = await loadReplayErrors();
    const front: ReplayRoute = { match: { method: 'POST', pathPrefix: '/' }, responses: [errors['textract-429']!, errors['textract-500']!], once: true };
    const h = await setup([front, ...(await loadReplayFixture('textract-detect-document-text'))]);
    try {
      const r = await h.model.recognize({ bytes: await renderPrescriptionPng(PRESCRIPTION_A), mime: 'image/png' });
      expectPrescriptionA(r.pages[0]!);
      expect(h.server.requests.map((q) => q.route)).toEqual([0, 0, 1]);
    } finally {
      await h.close();
    }
  });

  it('maps persistent throttling to RATE_LIMITED and a persistent 5xx to PROVIDER_ERROR', async () => {
    const errors = await loadReplayErrors();
    for (const [name, code] of [['textract-429', 'RATE_LIMITED'], ['textract-500', 'PROVIDER_ERROR']] as const) {
      const h = await setup([{ match: { method: 'POST', pathPrefix: '/' }, responses: [errors[name]!] }], { maxAttempts: 2 });
      try {
        const err = (await h.model.recognize({ bytes: new Uint8Array([1, 2, 3]), mime: 'image/png' }).catch((x: unknown) => x)) as WardClerkError;
        expect(err.code).toBe(code);
        expect(h.server.requests).toHaveLength(2);
      } finally {
        await h.close();
      }
    }
  });

  it('reports a failed async job as PROVIDER_ERROR', async () => {
    const s3: TextractS3Stager = { bucket: 'b', put: async () => {} };
    const routes: ReplayRoute[] = [
      { match: { method: 'POST', pathPrefix: '/', target: 'Textract.StartDocumentTextDetection' }, responses: [{ status: 200, body: { JobId: 'j1' } }] },
      { match: { method: 'POST', pathPrefix: '/', target: 'Textract.GetDocumentTextDetection' }, responses: [{ status: 200, body: { JobStatus: 'FAILED', StatusMessage: 'Request has unsupported document format' } }] },
    ];
    const h = await setup(routes, { s3 });
    try {
      const pdf = await renderScannedPdf([await renderPrescriptionPng(['a']), await renderPrescriptionPng(['b'])]);
      const err = (await h.model.recognize({ bytes: pdf, mime: 'application/pdf' }).catch((x: unknown) => x)) as WardClerkError;
      expect(err.code).toBe('PROVIDER_ERROR');
      expect(err.details['job_status']).toBe('FAILED');
    } finally {
      await h.close();
    }
  });
});
