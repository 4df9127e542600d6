/**
 * PatientRecord → FHIR R4 Patient JSON. A mapping, not a translation: the record is already
 * FHIR-shaped. The MRN is an identifier of type MR under a system naming the tenant.
 */
import type { PatientRecord } from '../store/patient-records.js';

/** The FHIR R4 core extension for a time zone (an IANA code). */
export const TIMEZONE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/timezone';

/** The identifier system of a tenant's MRNs. */
export const mrnSystem = (tenantId: string) => `urn:wardclerk:${tenantId}:mrn`;

export interface FhirPatient {
  resourceType: 'Patient';
  id: string;
  meta: { lastUpdated: string };
  identifier: Array<{ use: 'usual'; type: { coding: Array<{ system: string; code: 'MR' }> }; system: string; value: string }>;
  active: true;
  name: Array<{ use: 'official'; family: string; given: string[] }>;
  gender: PatientRecord['sex'];
  birthDate?: string;
  extension: Array<{ url: string; valueCode: string }>;
}

/** The FHIR R4 Patient resource of a record. */
export function toFhirPatient(record: PatientRecord): FhirPatient {
  const out: FhirPatient = {
    resourceType: 'Patient',
    id: record.patient_id,
    meta: { lastUpdated: record.updated_at },
    identifier: record.mrn === null ? [] : [{
      use: 'usual',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
      system: mrnSystem(record.tenant_id),
      value: record.mrn,
    }],
    active: true,
    name: [{ use: 'official', family: record.name.family, given: [...record.name.given] }],
    gender: record.sex,
    extension: [{ url: TIMEZONE_EXTENSION, valueCode: record.time_zone }],
  };
  if (record.birth_date !== null) out.birthDate = record.birth_date;
  return out;
}
