/**
 * `tesseract`: local OCR with tesseract.js (WebAssembly, in worker threads) and the English LSTM
 * model from `@tesseract.js-data/eng`, read from disk. Nothing is fetched: tesseract.js downloads
 * its language data from a CDN unless `langPath` is a local folder, and writes a cache file into
 * the working directory unless `cacheMethod` is `none`; both are set here. The core wasm is
 * required from node_modules by the Node worker script.
 *
 * Images are preprocessed (engine/ocr/prepare-image.ts); PDFs are rasterised page by page
 * (engine/ocr/rasterize-pdf.ts). A page that reads poorly upright is retried at 90°, 180° and
 * 270° and the best-scoring orientation is kept (the OSD model that detects orientation directly
 * is not part of the LSTM-only data).
 */
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { WardClerkError } from '../../core/errors.js';
import { prepareImage, rotatedPng } from '../ocr/prepare-image.js';
import { rasterizePdf } from '../ocr/rasterize-pdf.js';
import { pageFromTesseract, orientationScore, type TesseractPage } from '../ocr/tesseract-page.js';
import { isOcrMime, type OcrModel, type OcrPage, type OcrResult, type RecognizeOptions } from './ocr-model.js';
import { throwIfAborted } from './throw-if-aborted.js';

export interface TesseractOcrOptions {
  /** Folder holding `eng.traineddata.gz`; default the `@tesseract.js-data/eng` LSTM (best_int) folder. */
  langPath?: string;
  /** Worker threads in the pool; default the number of cores, at most 4. */
  workers?: number;
  /** Upright pages scoring below this mean confidence are retried rotated; default 70. */
  rotateBelow?: number;
  /** PDF render resolution; default 200 dpi. */
  dpi?: number;
}

type Scheduler = import('tesseract.js').Scheduler;
const ROTATIONS = [90, 180, 270] as const;

/** The LSTM-only English data shipped in @tesseract.js-data/eng. */
export function defaultTessdataPath(): string {
  const pkg = createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json');
  return join(dirname(pkg), '4.0.0_best_int');
}

class TesseractOcr implements OcrModel {
  readonly provider = 'tesseract';
  readonly modelId = 'eng';
  readonly version: string;
  readonly #opts: Required<TesseractOcrOptions>;
  #scheduler: Promise<Scheduler> | undefined;
  #closed = false;

  constructor(opts: Required<TesseractOcrOptions>, version: string) {
    this.#opts = opts;
    this.version = version;
  }

  /** Workers start on first use: each loads ~3 MB of model data and costs ~0.5 s. */
  #pool(): Promise<Scheduler> {
    this.#scheduler ??= (async () => {
      const { createScheduler, createWorker, OEM } = await import('tesseract.js');
      const scheduler = createScheduler();
      const workers = await Promise.all(
        Array.from({ length: this.#opts.workers }, () =>
          createWorker('eng', OEM.LSTM_ONLY, { langPath: this.#opts.langPath, cacheMethod: 'none', gzip: true }),
        ),
      );
      for (const w of workers) {
        // Our preprocessing sets the scale; tell tesseract so it does not guess the resolution.
        await w.setParameters({ user_defined_dpi: '300' });
        scheduler.addWorker(w);
      }
      return scheduler;
    })();
    // A pool that failed to start is not cached: the next call tries again.
    this.#scheduler.catch(() => {
      this.#scheduler = undefined;
    });
    return this.#scheduler;
  }

  async #read(png: Buffer): Promise<TesseractPage> {
    const scheduler = await this.#pool();
    const r = await scheduler.addJob('recognize', png, {}, { text: true, blocks: true });
    return r.data as unknown as TesseractPage;
  }

  async #page(bytes: Uint8Array, mime: 'image/png' | 'image/jpeg' | 'image/tiff', index: number, signal?: AbortSignal): Promise<OcrPage> {
    const image = await prepareImage(bytes, mime);
    throwIfAborted(signal);
    let best = { page: await this.#read(await rotatedPng(image, 0)), rotation: 0 as 0 | 90 | 180 | 270 };
    let bestScore = orientationScore(best.page);
    if (best.page.confidence < this.#opts.rotateBelow) {
      for (const rotation of ROTATIONS) {
        throwIfAborted(signal);
        const page = await this.#read(await rotatedPng(image, rotation));
        const score = orientationScore(page);
        if (score > bestScore) {
          best = { page, rotation };
          bestScore = score;
        }
        if (page.confidence >= this.#opts.rotateBelow + 10) break;
      }
    }
    return pageFromTesseract(best.page, index, image.scale, best.rotation);
  }

  async recognize({ bytes, mime, signal }: RecognizeOptions): Promise<OcrResult> {
    if (this.#closed) throw new WardClerkError('ENGINE_UNAVAILABLE', 'OCR model is closed');
    if (!isOcrMime(mime)) throw new WardClerkError('UNSUPPORTED_MEDIA_TYPE', 'unsupported media type for OCR', { details: { mime } });
    throwIfAborted(signal);
    const pages: OcrPage[] = [];
    if (mime === 'application/pdf') {
      // Pages are OCR'd concurrently up to the pool size while later pages are still rendering;
      // at most `workers` rendered pages wait in memory.
      const pending: Promise<OcrPage>[] = [];
      let settled = 0;
      for await (const p of rasterizePdf(bytes, { dpi: this.#opts.dpi, signal })) {
        const job = this.#page(p.png, 'image/png', p.index, signal);
        job.catch(() => {}); // observed below by Promise.all; avoids an unhandled rejection meanwhile
        pending.push(job);
        if (pending.length - settled >= this.#opts.workers) await pending[settled++];
      }
      pages.push(...(await Promise.all(pending)));
    } else {
      pages.push(await this.#page(bytes, mime, 0, signal));
    }
    throwIfAborted(signal);
    return { pages };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#scheduler) await (await this.#scheduler).terminate();
  }
}

/**
 * Creates the tesseract OCR model. Throws `MODEL_NOT_FOUND` naming the path when
 * `eng.traineddata.gz` is not in `langPath`. Workers start lazily on the first `recognize`.
 */
export async function createTesseractOcr(options: TesseractOcrOptions = {}): Promise<OcrModel> {
  const langPath = options.langPath ?? defaultTessdataPath();
  const file = join(langPath, 'eng.traineddata.gz');
  try {
    await access(file);
  } catch {
    throw new WardClerkError('MODEL_NOT_FOUND', `model file not found: ${file}`, { details: { path: file } });
  }
  const { version } = createRequire(import.meta.url)('tesseract.js/package.json') as { version: string };
  return new TesseractOcr(
    {
      langPath,
      workers: options.workers ?? Math.min(4, availableParallelism()),
      rotateBelow: options.rotateBelow ?? 70,
      dpi: options.dpi ?? 200,
    },
    `tesseract.js-${version}`,
  );
}
