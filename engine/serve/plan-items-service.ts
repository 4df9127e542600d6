/**
 * `wc.engine.plan-items` (issue 8): a note's extraction by the chosen extractor (rules by default;
 * with a text model configured, the hybrid extractor, whose model findings are grounded in the
 * note before they count), then its actionable steps by the rules of engine/clinical/actions.
 */
import type { Extraction } from '../../core/clinical/extraction.js';
import type { PlanItems } from '../../core/care/plan-items.js';
import { WardClerkError } from '../../core/errors.js';
import { planItemsFrom } from '../clinical/actions/plan-items.js';
import type { Extractor } from '../providers/extractor.js';

export interface PlanItemsDeps {
  /** The extractor for an optional id (undefined = the default); throws MODEL_NOT_FOUND for an unknown one. */
  choose(extractor: string | undefined): Extractor;
  onStart?(): void;
  onEnd?(): void;
}

export interface PlanItemsRequest { text: string; note_date: string; extractor?: string | undefined; ocr_confidence?: number | undefined }

/** The handler for the plan-items subject. EMPTY_TEXT for a blank note. */
export function createPlanItemsHandler(deps: PlanItemsDeps) {
  return async ({ text, note_date, extractor, ocr_confidence }: PlanItemsRequest): Promise<{ extraction: Extraction; items: PlanItems }> => {
    if (text.trim() === '') throw new WardClerkError('EMPTY_TEXT', 'The note text is empty');
    const chosen = deps.choose(extractor);
    deps.onStart?.();
    try {
      const extraction = await chosen.extract(ocr_confidence === undefined ? { text } : { text, ocrConfidence: ocr_confidence });
      return { extraction, items: planItemsFrom(text, extraction, note_date) };
    } finally {
      deps.onEnd?.();
    }
  };
}
