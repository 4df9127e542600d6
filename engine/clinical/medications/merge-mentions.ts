/**
 * One medication per drug per note: mentions of the same drug (same normalised name) are merged
 * into the most complete one, which keeps its own name, text and instruction; the others fill its
 * gaps (a strength, form, route, duration, dispensing details stated elsewhere), add their spans
 * to `mentions`, and the latest stated status wins (the plan's "stop" outranks the history's
 * "on"). Two different instructions for one drug keep the most complete and are reported as a
 * conflict, so the caller can warn.
 */
import type { Medication } from '../../../core/clinical/extraction.js';

const FILL: Array<keyof Medication> = ['rxcui', 'strength', 'form', 'route', 'dose', 'frequency', 'duration', 'as_needed_reason',
  'dispense_quantity', 'refills', 'dispense_request'];

/** How much of the instruction a medication states; the primary mention of a group is the highest. */
function completeness(m: Medication): number {
  let n = 0;
  for (const k of ['strength', 'form', 'route', 'dose', 'frequency', 'duration'] as const) if (m[k] !== null) n++;
  return n + (m.dosage.length > 0 ? 1 : 0);
}

export interface MergeResult { meds: Medication[]; conflicts: number }

/** Merges mentions of the same drug; output in order of each drug's first mention. */
export function mergeMentions(meds: Medication[]): MergeResult {
  if (meds.length < 2) return { meds, conflicts: 0 };
  const groups = new Map<string, Medication[]>();
  for (const m of meds) {
    const key = m.name.toLowerCase();
    const g = groups.get(key);
    if (g) g.push(m); else groups.set(key, [m]);
  }
  if (groups.size === meds.length) return { meds, conflicts: 0 };
  let conflicts = 0;
  const out: Medication[] = [];
  for (const group of groups.values()) {
    if (group.length === 1) { out.push(group[0]!); continue; }
    let primary = group[0]!;
    for (const m of group) if (completeness(m) > completeness(primary)) primary = m;
    const merged: Medication = { ...primary, spans: { ...primary.spans } };
    const rec = merged as unknown as Record<string, unknown>;
    for (const m of group) {
      if (m === primary) continue;
      const other = m as unknown as Record<string, unknown>;
      for (const k of FILL) {
        if ((rec[k] ?? null) === null && (other[k] ?? null) !== null) {
          rec[k] = other[k];
          const span = m.spans[k];
          if (span && !merged.spans[k]) merged.spans[k] = span;
        }
      }
      if (m.as_needed && !merged.as_needed) merged.as_needed = true;
      if (m.sig !== null && primary.sig !== null && (m.frequency !== primary.frequency || m.dose !== primary.dose)
        && m.frequency !== null && primary.frequency !== null) conflicts++;
    }
    // The status stated last is the decision ("on lisinopril … plan: stop lisinopril").
    const stated = group.filter((m) => m.status !== null).sort((a, b) => a.span.start - b.span.start);
    merged.status = stated.length > 0 ? stated[stated.length - 1]!.status : null;
    merged.mentions = group.flatMap((m) => m.mentions ?? [m.spans.name ?? m.span]).sort((a, b) => a.start - b.start);
    merged.confidence = Math.max(...group.map((m) => m.confidence));
    out.push(merged);
  }
  out.sort((a, b) => (a.mentions?.[0]?.start ?? a.span.start) - (b.mentions?.[0]?.start ?? b.span.start));
  return { meds: out, conflicts };
}
