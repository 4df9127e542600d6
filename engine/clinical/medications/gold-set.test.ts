import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MedicationSchema } from '../../../core/clinical/extraction.js';
import { DosageSchema } from '../../../core/clinical/fhir-dosage.js';
import { validateTiming } from '../timing-invariants.js';
import { findMedications } from './find-medications.js';
import { scoreMedications, type GoldMedication } from './score-medications.js';

const dir = new URL('../../../test/fixtures/clinical/', import.meta.url);
const files = readdirSync(dir).filter((f) => /^medications.*\.jsonl$/.test(f));
const snippets = files.flatMap((f) => readFileSync(new URL(f, dir), 'utf8').trim().split('\n')
  .map((l) => JSON.parse(l) as { id: string; text: string; expected: { medications?: GoldMedication[] } }))
  .filter((s) => s.expected.medications !== undefined);

describe('medication gold set', () => {
  it('has at least 130 annotated snippets', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(130);
  });

  it('meets the targets: name F1 ≥ 0.97, every scored field ≥ 0.95', () => {
    const scores = scoreMedications(snippets.map((s) => ({ expected: s.expected.medications!, found: findMedications(s.text) })));
    expect(scores.name!.f1).toBeGreaterThanOrEqual(0.97);
    for (const [field, score] of Object.entries(scores)) expect({ field, f1: score.f1 >= 0.95 }).toEqual({ field, f1: true });
  });

  it('every medication validates and its spans point at its text', () => {
    for (const s of snippets) {
      for (const m of findMedications(s.text)) {
        expect(MedicationSchema.safeParse(m).success).toBe(true);
        expect(s.text.slice(m.spans.name!.start, m.spans.name!.end)).toBe(m.text);
        for (const span of Object.values(m.spans)) expect(span.end).toBeLessThanOrEqual(s.text.length);
        for (const d of m.dosage) {
          expect(DosageSchema.safeParse(d).success).toBe(true);
          expect(validateTiming(d.timing ?? {})).toEqual([]);
        }
      }
    }
  });
});
