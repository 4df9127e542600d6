/**
 * Plan activities from the recurring non-medication steps a text model found (the hybrid
 * extractor's `plan_steps`). A step is kept only while it is grounded — its text is the note's own
 * words at its span (the llm extractor's grounding check; checked again here, since an extraction
 * may come from anywhere) — and only with a schedule the sig grammar reads from those words.
 * Its title and schedule come from the note, never from the model; the model contributes where
 * the step is and what kind it is. Steps the rules already planned (same sentence) and a
 * medicine's directions are not added twice. Each refusal leaves a warning code, never text.
 */
import type { Extraction, Medication, PlanStep, Span } from '../../../core/clinical/extraction.js';
import type { PlanActivity } from '../../../core/care/plan-items.js';
import { namesMedication, stepKind, stepTiming } from './find-activities.js';
import { asInstruction } from './find-tasks.js';
import { sentenceAt, type Sentence } from './sentences.js';

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/** Whether `step` is what the note says at its span. */
function grounded(text: string, step: PlanStep): boolean {
  const { start, end } = step.span;
  return start >= 0 && end <= text.length && start < end && text.slice(start, end) === step.text;
}

/** Steps the grounding check dropped before they got here (llm warnings on `plan_steps[i]`). */
function droppedUpstream(extraction: Extraction): number {
  return extraction.warnings.filter((w) => w.code === 'UNGROUNDED_VALUE' && w.message.startsWith('plan_steps[')).length;
}

/**
 * The activities the model's steps add to `planned` (the rules' own activities), in note order;
 * `warnings` gets `ungrounded_model_step`, `model_step_is_medication` or `model_step_without_schedule`.
 */
export function modelStepActivities(text: string, extraction: Extraction, sentences: Sentence[], planned: PlanActivity[], warnings: string[]): PlanActivity[] {
  for (let i = droppedUpstream(extraction); i > 0; i--) warnings.push('ungrounded_model_step');
  const medications: Medication[] = extraction.medications;
  const out: PlanActivity[] = [];
  for (const step of extraction.plan_steps ?? []) {
    if (!grounded(text, step)) { warnings.push('ungrounded_model_step'); continue; }
    const sentence = sentenceAt(sentences, step.span.start);
    const where: Span = sentence && sentence.end >= step.span.end ? sentence : step.span;
    if (namesMedication(where, medications) || medications.some((m) => overlaps(m.span, step.span))) {
      warnings.push('model_step_is_medication');
      continue;
    }
    // The rules already made this sentence a step: theirs stands (one step, not two).
    if ([...planned, ...out].some((a) => a.medication === null && overlaps(a.span, where))) continue;
    const ruled = stepKind(step.text);
    const kind = ruled?.kind ?? step.kind;
    // The step's own words first; the whole sentence when the schedule sits outside them.
    const timing = stepTiming(step.text, kind) ?? (sentence ? stepTiming(sentence.text, kind) : null);
    if (!timing) { warnings.push('model_step_without_schedule'); continue; }
    out.push({
      kind, title: ruled?.title ?? asInstruction(step.text).slice(0, 200), instruction: asInstruction(sentence?.text ?? step.text).slice(0, 1000),
      medication: null, timing, as_needed: false, span: { start: where.start, end: where.end }, source: 'model',
    });
  }
  return out;
}
