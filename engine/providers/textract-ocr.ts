/**
 * `textract`: AWS Textract behind the OcrModel interface; the client is injected (region,
 * credentials and endpoint come from config where it is built).
 *
 * - Images and single-page PDFs: synchronous DetectDocumentText with the bytes inline.
 * - Multi-page PDFs with an S3 stager configured: StartDocumentTextDetection on the staged object,
 *   then GetDocumentTextDetection polled until done and paged through NextToken.
 * - Multi-page PDFs without S3: each page is rasterised locally and sent as an image, so the
 *   async API (which only reads from S3) is not required.
 * Retries on throttling and 5xx are the SDK's (standard retry strategy); what is left after them is
 * mapped to a coded error.
 */
import {
  DetectDocumentTextCommand,
  GetDocumentTextDetectionCommand,
  StartDocumentTextDetectionCommand,
  type Block,
  type TextractClient,
} from '@aws-sdk/client-textract';
import { WardClerkError } from '../../core/errors.js';
import { pdfPageCount, rasterizePdf } from '../ocr/rasterize-pdf.js';
import { mapAwsError } from './map-aws-error.js';
import { isOcrMime, type OcrModel, type OcrPage, type OcrResult, type RecognizeOptions } from './ocr-model.js';
import { pagesFromTextract } from './textract-format.js';
import { throwIfAborted } from './throw-if-aborted.js';

/** Puts the document where Textract can read it; returns the object and how to remove it. */
export interface TextractS3Stager {
  bucket: string;
  put(key: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
  delete?(key: string): Promise<void>;
  /** Key prefix for staged documents; default `wardclerk/ocr/`. */
  prefix?: string;
}

export interface TextractOcrOptions {
  client: Pick<TextractClient, 'send'>;
  s3?: TextractS3Stager;
  /** Delay between GetDocumentTextDetection polls; default 1000 ms. */
  pollIntervalMs?: number;
  /** Give up on an async job after this long (`TIMEOUT`); default 300 000 ms. */
  jobTimeoutMs?: number;
  /** Render resolution for the local page-by-page fallback; default 200 dpi. */
  dpi?: number;
}

/** A wait that ends early (with CANCELLED) when the signal aborts. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(new WardClerkError('CANCELLED', 'request cancelled'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

class TextractOcr implements OcrModel {
  readonly provider = 'textract';
  readonly modelId = 'detect-document-text';
  readonly version = '1';
  readonly #o: TextractOcrOptions;

  constructor(o: TextractOcrOptions) {
    this.#o = o;
  }

  async #send<T>(command: object, signal?: AbortSignal): Promise<T> {
    try {
      return (await this.#o.client.send(command as never, { abortSignal: signal })) as T;
    } catch (e) {
      throw mapAwsError(e, 'textract', signal);
    }
  }

  async #detect(bytes: Uint8Array, signal?: AbortSignal): Promise<OcrPage[]> {
    const r = await this.#send<{ Blocks?: Block[]; DocumentMetadata?: { Pages?: number } }>(
      new DetectDocumentTextCommand({ Document: { Bytes: bytes } }),
      signal,
    );
    return pagesFromTextract(r.Blocks ?? [], r.DocumentMetadata?.Pages);
  }

  async #async(bytes: Uint8Array, s3: TextractS3Stager, signal?: AbortSignal): Promise<OcrPage[]> {
    const key = `${s3.prefix ?? 'wardclerk/ocr/'}${crypto.randomUUID()}.pdf`;
    await s3.put(key, bytes, signal);
    try {
      const start = await this.#send<{ JobId?: string }>(
        new StartDocumentTextDetectionCommand({ DocumentLocation: { S3Object: { Bucket: s3.bucket, Name: key } } }),
        signal,
      );
      const jobId = start.JobId;
      if (!jobId) throw new WardClerkError('PROVIDER_ERROR', 'textract returned no JobId', { details: { provider: 'textract' } });
      const deadline = Date.now() + (this.#o.jobTimeoutMs ?? 300_000);
      const blocks: Block[] = [];
      let pages: number | undefined;
      let nextToken: string | undefined;
      for (;;) {
        const r = await this.#send<{ JobStatus?: string; NextToken?: string; Blocks?: Block[]; DocumentMetadata?: { Pages?: number } }>(
          new GetDocumentTextDetectionCommand({ JobId: jobId, MaxResults: 1000, NextToken: nextToken }),
          signal,
        );
        if (r.JobStatus === 'IN_PROGRESS') {
          if (Date.now() > deadline) throw new WardClerkError('TIMEOUT', 'textract job did not finish in time', { details: { provider: 'textract', job_id: jobId } });
          await delay(this.#o.pollIntervalMs ?? 1000, signal);
          continue;
        }
        if (r.JobStatus !== 'SUCCEEDED' && r.JobStatus !== 'PARTIAL_SUCCESS') {
          throw new WardClerkError('PROVIDER_ERROR', 'textract job failed', { details: { provider: 'textract', job_id: jobId, job_status: r.JobStatus ?? null } });
        }
        blocks.push(...(r.Blocks ?? []));
        pages ??= r.DocumentMetadata?.Pages;
        if (!r.NextToken) break;
        nextToken = r.NextToken;
      }
      return pagesFromTextract(blocks, pages);
    } finally {
      await s3.delete?.(key);
    }
  }

  async recognize({ bytes, mime, signal }: RecognizeOptions): Promise<OcrResult> {
    if (!isOcrMime(mime)) throw new WardClerkError('UNSUPPORTED_MEDIA_TYPE', 'unsupported media type for OCR', { details: { mime } });
    throwIfAborted(signal);
    if (mime !== 'application/pdf') return { pages: await this.#detect(bytes, signal) };
    const count = await pdfPageCount(bytes);
    if (count <= 1) return { pages: await this.#detect(bytes, signal) };
    if (this.#o.s3) return { pages: await this.#async(bytes, this.#o.s3, signal) };
    const pages: OcrPage[] = [];
    for await (const p of rasterizePdf(bytes, { dpi: this.#o.dpi ?? 200, signal })) {
      const [page] = await this.#detect(p.png, signal);
      pages.push({ ...(page ?? { text: '', confidence: 0, words: [] }), index: p.index });
    }
    return { pages };
  }
}

/** Creates the Textract OCR model around an injected `TextractClient`. */
export function createTextractOcr(options: TextractOcrOptions): OcrModel {
  return new TextractOcr(options);
}
