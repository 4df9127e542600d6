/**
 * A note's actionable steps (issue 8): from its text and the clinical extraction of it, the
 * checklist tasks and the plan activities (core/care/plan-items.ts). Pure and fast, no model
 * call: a configured text model contributes through the hybrid extractor, whose medications and
 * non-medication steps (`plan_steps`) are grounded in the note before they reach here; steps are
 * checked again and kept only with a schedule read from the note (model-steps.ts). What a model
 * contributed is marked `source: model`.
 */
import type { Extraction } from '../../../core/clinical/extraction.js';
import { PlanItemsSchema, type PlanItems } from '../../../core/care/plan-items.js';
import { WardClerkError } from '../../../core/errors.js';
import { isoDateMs } from './due-date.js';
import { findRecurring, medicationActivities } from './find-activities.js';
import { findTasks } from './find-tasks.js';
import { modelStepActivities } from './model-steps.js';
import { splitSentences } from './sentences.js';

const MAX_ITEMS = 200;

/** The first of items that say the same thing (a step repeated in a summary and its advice list). */
function once<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Indexes of medications a model contributed (hybrid provenance `medications[i].name` from llm). */
function modelMedications(extraction: Extraction): Set<number> {
  const out = new Set<number>();
  for (const p of extraction.provenance ?? []) {
    const m = /^medications\[(\d+)\]\.name$/.exec(p.path);
    if (m && p.source === 'llm') out.add(Number(m[1]));
  }
  return out;
}

/**
 * The plan items of `text`, whose extraction is `extraction`, written on `noteDate` (ISO date; due
 * dates are computed from it). VALIDATION_FAILED for a note date that is not an ISO date.
 */
export function planItemsFrom(text: string, extraction: Extraction, noteDate: string): PlanItems {
  if (isoDateMs(noteDate) === null) throw new WardClerkError('VALIDATION_FAILED', 'note_date must be an ISO date (YYYY-MM-DD)', { details: { field: 'note_date' } });
  const warnings: string[] = [];
  const sentences = splitSentences(text);
  const recurring = findRecurring(sentences, extraction.medications);
  const ruled = [
    ...medicationActivities(extraction.medications, extraction.sections, noteDate, warnings, modelMedications(extraction)),
    ...recurring.map((r) => r.activity),
  ];
  const modelled = modelStepActivities(text, extraction, sentences, ruled, warnings);
  const activities = once([...ruled, ...modelled].sort((a, b) => a.span.start - b.span.start),
    (a) => JSON.stringify([a.kind, a.title, a.timing, a.medication?.dosage ?? null]));
  // A sentence that became a recurring step is not also a one-time task.
  const stepSentences = new Set([...recurring.map((r) => r.sentence), ...sentences.filter((x) => modelled.some((a) => a.span.start === x.start && a.span.end === x.end))]);
  const tasks = once(findTasks(sentences, extraction.medications, noteDate, stepSentences), (t) => JSON.stringify([t.kind, t.description, t.due]));
  if (tasks.length > MAX_ITEMS || activities.length > MAX_ITEMS) warnings.push('too_many_items_truncated');
  // Parsed once at the boundary: an item the shapes refuse is a bug here, not bad input.
  return PlanItemsSchema.parse({
    tasks: tasks.slice(0, MAX_ITEMS),
    activities: activities.slice(0, MAX_ITEMS),
    warnings: [...new Set(warnings)].slice(0, MAX_ITEMS),
  });
}
