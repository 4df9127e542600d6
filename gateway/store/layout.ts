/**
 * Where things live in LevelDB. Root sublevels hold key material and operator-level records;
 * each tenant has its own sublevels (`!t!!<tenant id>!!<table>!`). Keys are random ids or blind
 * indexes only, never PHI. Writes go through the group-commit writer as root operations with the
 * fully prefixed key, which is also the associated data every value is sealed with.
 */
import type { AbstractSublevel } from 'abstract-level';
import type { Level } from 'level';

export type RootDb = Level<string, Uint8Array>;
export type Sub = AbstractSublevel<RootDb, string | Buffer | Uint8Array, string, Uint8Array>;

/** One sublevel and its prefix. */
export class Table {
  readonly sub: Sub;
  readonly prefix: string;

  constructor(sub: Sub) {
    this.sub = sub;
    this.prefix = sub.prefix;
  }

  /** The key as the root database sees it (and as sealed values are bound to). */
  fullKey(key: string): string {
    return this.prefix + key;
  }
}

/** The per-tenant tables. */
export interface TenantTables {
  /** prescription id → sealed PrescriptionRecord */
  prescriptions: Table;
  /** `<patient blind index>:<prescription id>` → empty (a pointer; the record is re-checked) */
  prescriptionsByPatient: Table;
  /** `<external id blind index>:<prescription id>` → empty */
  prescriptionsByExternalId: Table;
  /** `<job id>:<prescription id>` → empty (a batch job's prescriptions, in creation order) */
  prescriptionsByJob: Table;
  /** job id → sealed JobRecord */
  jobs: Table;
  /** `<job id>:<index, 4 digits>` → sealed JobItemRecord */
  jobItems: Table;
  /** webhook id → sealed WebhookRecord */
  webhooks: Table;
  /** `<webhook id>:<delivery record id>` → sealed WebhookDeliveryRecord (newest last) */
  webhookDeliveries: Table;
  /** delivery id (`<event id>.<webhook id>`) → delivery record id (sealed) */
  webhookDeliveryIds: Table;
  /** `<webhook id>:<delivery record id>` → empty, while that delivery is pending (ids only) */
  webhookPending: Table;
  /** client id → empty (which clients belong to the tenant) */
  clients: Table;

  // ---- people (issue 8; owners: gateway/people, gateway/auth) ----
  /** Per-tenant settings documents (`people`, `schedule`, …) → sealed (tenant key). */
  settings: Table;
  /** user id → sealed UserRecord */
  users: Table;
  /** email blind index → user id */
  usersByEmail: Table;
  /** `<role>:<user id>` → empty */
  usersByRole: Table;
  /** invitation code hash → sealed InvitationRecord */
  invitations: Table;
  /** session id → sealed SessionRecord (refresh-token family) */
  sessions: Table;
  /** refresh token hash → sealed pointer to its session and generation */
  refreshTokens: Table;
  /** `<user id>:<session id>` → empty: a user's sessions (revoke all on a password change) */
  sessionsByUser: Table;
  /** patient id → sealed PatientRecord (patient key) */
  patients: Table;
  /** MRN blind index → patient id */
  patientsByMrn: Table;
  /** patient user id → patient id */
  patientsByUser: Table;
  /** `<staff user id>:<patient id>` → empty */
  assignmentsByStaff: Table;
  /** `<patient id>:<staff user id>` → empty */
  assignmentsByPatient: Table;
  /** `<patient id>:<message id>` → sealed message (sealed box inside, patient key outside) */
  messages: Table;

  // ---- notes and care plans (issue 8; owner: gateway/care-plans) ----
  /** note id → sealed NoteRecord (patient key) */
  notes: Table;
  /** `<patient id>:<note id>` → empty */
  notesByPatient: Table;
  /** care plan id → sealed CarePlanRecord (patient key) */
  carePlans: Table;
  /** `<patient id>:<care plan id>` → empty; `active:<patient id>` → the active plan id */
  carePlansByPatient: Table;
  /** task id → sealed TaskRecord (patient key) */
  tasks: Table;
  /** `<patient id>:<task id>` → empty */
  tasksByPatient: Table;

  // ---- reminders (issue 8; owner: gateway/scheduler) ----
  /** series id → sealed ReminderSeriesRecord (patient key) */
  reminderSeries: Table;
  /** reminder (occurrence) id → sealed ReminderRecord (patient key) */
  reminders: Table;
  /** `<patient id>:<…>` → empty: a patient's reminders by time */
  remindersByPatient: Table;
  /** `<care plan id>:<series id>` → empty */
  seriesByPlan: Table;
  /** re-plan record id → sealed record of why a series moved (patient key) */
  replans: Table;

  // ---- patient documents (issue 9; owner: gateway/documents) ----
  /** document id → sealed DocumentRecord (patient key) */
  documents: Table;
  /** `<patient id>:<document id>` → empty */
  documentsByPatient: Table;
  /** blind index of `<patient id>:<sha-256>` → sealed document id (the same file twice is one document) */
  documentsByHash: Table;
  /** `<document id>:<part, 5 digits>` → sealed bytes of the original file (patient key) */
  documentParts: Table;
  /** `<document id>:<page, 4 digits>` → sealed page text (patient key) */
  documentPages: Table;
  /** document id → sealed DocumentExtraction (patient key) */
  documentExtractions: Table;
  /** `<document id>:<chunk seq, 5 digits>` → sealed DocumentChunk (patient key) */
  documentChunks: Table;
  /** `<document id>:<chunk seq, 5 digits>` → sealed ChunkVector (patient key) */
  documentVectors: Table;

  // ---- chat (issue 9; owner: gateway/chat) ----
  /** `<patient id>:<conversation id>` → sealed ConversationRecord (patient key) */
  conversations: Table;

  // ---- RAG refresh (issue 9; owner: gateway/refresh) ----
  /** `<patient id>:<version, 6 digits>` → sealed PatientSummaryRecord (patient key) */
  patientSummaries: Table;
}

/** Tenant ids come from tokens and URLs: only our own id shape may become a sublevel name. */
export const TENANT_ID_RE = /^tn_[0-9A-HJKMNP-TV-Z]{26}$/;

export class Layout {
  readonly #db: RootDb;
  readonly #tenants = new Map<string, TenantTables>();
  /** `system` (wrapped system DEK), `t:<tid>` (tenant DEKs), `p:<tid>:<patient id>` (patient DEKs). */
  readonly keys: Table;
  /** email blind index → sealed OperatorRecord */
  readonly operators: Table;
  /** kid → sealed SigningKeyRecord */
  readonly signingKeys: Table;
  /** tenant id → sealed TenantRecord */
  readonly tenants: Table;
  /** client id → sealed ClientRecord (global: a token request knows only the client id) */
  readonly clients: Table;
  /** event id → sealed WardEvent committed with its change, not yet published (ids only) */
  readonly outbox: Table;
  /** note id → sealed (system key) pointer to a stored note whose job may not be queued yet (ids only) */
  readonly noteQueue: Table;
  /**
   * Documents stored but maybe not yet queued for their pipeline (issue 9): `<document id>` →
   * sealed (system key) {tenant_id, document_id}; ids only. See gateway/documents/document-queue.ts.
   */
  readonly documentQueue: Table;
  /**
   * The scheduler's due index across tenants (issue 8): `<due epoch ms, 15 digits>:<random id>` →
   * sealed (system key) pointer to a tenant's reminder. Keys hold only times and random ids.
   */
  readonly due: Table;

  constructor(db: RootDb) {
    this.#db = db;
    this.keys = this.#table(['keys']);
    this.operators = this.#table(['sys', 'operators']);
    this.signingKeys = this.#table(['sys', 'signing-keys']);
    this.tenants = this.#table(['tenants']);
    this.clients = this.#table(['clients']);
    this.outbox = this.#table(['outbox']);
    this.noteQueue = this.#table(['note-queue']);
    this.documentQueue = this.#table(['doc-queue']);
    this.due = this.#table(['due']);
  }

  #table(path: string[]): Table {
    return new Table(this.#db.sublevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' }));
  }

  /** The tables of a tenant id that has our id shape; null for anything else. */
  tenant(tenantId: string): TenantTables | null {
    if (!TENANT_ID_RE.test(tenantId)) return null;
    let t = this.#tenants.get(tenantId);
    if (!t) {
      const at = (name: string): Table => this.#table(['t', tenantId, name]);
      t = {
        prescriptions: at('rx'),
        prescriptionsByPatient: at('rx-patient'),
        prescriptionsByExternalId: at('rx-external'),
        prescriptionsByJob: at('rx-job'),
        jobs: at('jobs'),
        jobItems: at('job-items'),
        webhooks: at('webhooks'),
        webhookDeliveries: at('webhook-deliveries'),
        webhookDeliveryIds: at('webhook-delivery-ids'),
        webhookPending: at('webhook-pending'),
        clients: at('clients'),
        settings: at('settings'),
        users: at('users'),
        usersByEmail: at('users-email'),
        usersByRole: at('users-role'),
        invitations: at('invitations'),
        sessions: at('sessions'),
        refreshTokens: at('refresh-tokens'),
        sessionsByUser: at('sessions-user'),
        patients: at('patients'),
        patientsByMrn: at('patients-mrn'),
        patientsByUser: at('patients-user'),
        assignmentsByStaff: at('assign-staff'),
        assignmentsByPatient: at('assign-patient'),
        messages: at('messages'),
        notes: at('notes'),
        notesByPatient: at('notes-patient'),
        carePlans: at('care-plans'),
        carePlansByPatient: at('care-plans-patient'),
        tasks: at('tasks'),
        tasksByPatient: at('tasks-patient'),
        reminderSeries: at('reminder-series'),
        reminders: at('reminders'),
        remindersByPatient: at('reminders-patient'),
        seriesByPlan: at('series-plan'),
        replans: at('replans'),
        documents: at('docs'),
        documentsByPatient: at('docs-patient'),
        documentsByHash: at('docs-hash'),
        documentParts: at('doc-parts'),
        documentPages: at('doc-pages'),
        documentExtractions: at('doc-extractions'),
        documentChunks: at('doc-chunks'),
        documentVectors: at('doc-vectors'),
        conversations: at('chats'),
        patientSummaries: at('summaries'),
      };
      this.#tenants.set(tenantId, t);
    }
    return t;
  }
}
