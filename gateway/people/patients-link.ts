/**
 * A patient user's own Patient record: created for a self-registered patient (at sign-up, or on
 * first use of a /me route), or linked when staff registered the record first and the user's
 * account names it (`UserRecord.patient_id`, set by an invitation). Idempotent and safe to race.
 */
import { isWardClerkError } from '../../core/errors.js';
import type { GatewayDeps } from '../http/deps.js';
import type { HumanName, PatientRecord } from '../store/patient-records.js';
import type { UserRecord } from '../store/user-records.js';

/** Optional facts a sign-up form may already have collected. */
export interface PatientSignupFacts {
  time_zone?: string;
  birth_date?: string | null;
  sex?: PatientRecord['sex'];
}

/** The zone a self-registered patient starts with until they set theirs (PATCH /patients/{id}). */
export const DEFAULT_PATIENT_ZONE = 'UTC';

/** A FHIR name from a free-text display name: last word family, the rest given. */
export function nameFromDisplayName(displayName: string): HumanName {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const family = (words.pop() ?? '').slice(0, 200) || '(not given)';
  return { family, given: words.slice(0, 5).map((w) => w.slice(0, 100)) };
}

/**
 * The patient user's Patient record, creating (or linking) it when missing. The auth helper's
 * sign-up calls this for a patient; /me routes call it on first use. `facts` are used only when a
 * record is created here; INVALID_TIME_ZONE / VALIDATION_FAILED for bad facts (nothing stored).
 */
export async function ensurePatientForUser(
  deps: Pick<GatewayDeps, 'store'>,
  user: Pick<UserRecord, 'user_id' | 'tenant_id' | 'display_name' | 'patient_id'>,
  facts: PatientSignupFacts = {},
): Promise<PatientRecord> {
  const rec = await findOrCreate(deps, user, facts);
  // The user record names its patient too (UserRecord.patient_id); our index stays the truth.
  if (user.patient_id !== rec.patient_id) await deps.store.users.linkPatient(user.tenant_id, user.user_id, rec.patient_id);
  return rec;
}

async function findOrCreate(
  deps: Pick<GatewayDeps, 'store'>,
  user: Pick<UserRecord, 'user_id' | 'tenant_id' | 'display_name' | 'patient_id'>,
  facts: PatientSignupFacts,
): Promise<PatientRecord> {
  const { patients } = deps.store;
  const existing = await patients.findByUser(user.tenant_id, user.user_id);
  if (existing) return existing;
  try {
    if (user.patient_id) {
      const linked = await patients.linkUser(user.tenant_id, user.patient_id, user.user_id);
      if (linked) return linked;
    }
    return await patients.create(
      user.tenant_id,
      {
        name: nameFromDisplayName(user.display_name),
        time_zone: facts.time_zone ?? DEFAULT_PATIENT_ZONE,
        birth_date: facts.birth_date ?? null,
        ...(facts.sex ? { sex: facts.sex } : {}),
      },
      { userId: user.user_id, createdBy: 'system' },
    );
  } catch (e) {
    // A concurrent first use linked or created it a moment ago: that record is the answer.
    if (isWardClerkError(e) && e.details.reason === 'user_linked') {
      const again = await patients.findByUser(user.tenant_id, user.user_id);
      if (again) return again;
    }
    throw e;
  }
}
