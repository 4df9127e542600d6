/** How the gateway asks an engine for an extraction: over NATS in production, the same contract everywhere. */
import type { Extraction } from '../../core/clinical/extraction.js';

export type Extractor = (tenantId: string, text: string, options?: { ocrConfidence?: number }) => Promise<Extraction>;
