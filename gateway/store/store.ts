/**
 * The gateway's encrypted store: one LevelDB (via `level`/classic-level) with per-tenant
 * sublevels, every value sealed (see vault.ts), data keys wrapped by the master key (keyring.ts),
 * durable writes group-committed (group-commit.ts). Only the gateway process opens it.
 */
import { mkdir } from 'node:fs/promises';
import { Level } from 'level';
import { WardClerkError } from '../../core/errors.js';
import { ClientsRepo } from './clients-repo.js';
import { GroupCommitWriter, type GroupCommitStats, type RawOp } from './group-commit.js';
import { JobsRepo } from './jobs-repo.js';
import { KeyedLock } from './keyed-lock.js';
import { Keyring } from './keyring.js';
import { Layout, type RootDb } from './layout.js';
import { OutboxRepo } from './outbox-repo.js';
import { NoteQueueRepo } from './note-queue-repo.js';
import { InvitationsRepo } from './invitations-repo.js';
import { SessionsRepo } from './sessions-repo.js';
import { TenantSettingsRepo } from './tenant-settings-repo.js';
import { UsersRepo } from './users-repo.js';
import { AssignmentsRepo } from './assignments-repo.js';
import { PatientsRepo } from './patients-repo.js';
import { MessagesRepo } from './messages-repo.js';
import { PrescriptionsRepo } from './prescriptions-repo.js';
import { RemindersRepo } from './reminders-repo.js';
import { NotesRepo } from './notes-repo.js';
import { CarePlansRepo } from './care-plans-repo.js';
import { DocumentsRepo } from './documents-repo.js';
import { ConversationsRepo } from './conversations-repo.js';
import { SummariesRepo } from './summaries-repo.js';
import { TasksRepo } from './tasks-repo.js';
import type { StoreContext } from './store-context.js';
import { SystemRepo } from './system-repo.js';
import { TenantsRepo } from './tenants-repo.js';
import { Vault } from './vault.js';
import { WebhooksRepo } from './webhooks-repo.js';
import { WebhookDeliveriesRepo } from './webhook-deliveries-repo.js';

export interface OpenStoreOptions {
  /** LevelDB directory (created 0700 if missing). */
  dir: string;
  /** The 32-byte master key (KEK) from `loadOrCreateMasterKey`. */
  masterKey: Uint8Array;
}

/** An open store. Close it (or `await using`) exactly once; pending durable writes finish first. */
export class Store implements AsyncDisposable {
  readonly system: SystemRepo;
  readonly tenants: TenantsRepo;
  readonly clients: ClientsRepo;
  readonly prescriptions: PrescriptionsRepo;
  readonly jobs: JobsRepo;
  readonly webhooks: WebhooksRepo;
  readonly webhookDeliveries: WebhookDeliveriesRepo;
  readonly outbox: OutboxRepo;
  readonly reminders: RemindersRepo;
  readonly notes: NotesRepo;
  readonly noteQueue: NoteQueueRepo;
  readonly carePlans: CarePlansRepo;
  readonly tasks: TasksRepo;
  readonly users: UsersRepo;
  readonly invitations: InvitationsRepo;
  readonly sessions: SessionsRepo;
  readonly settings: TenantSettingsRepo;
  readonly patients: PatientsRepo;
  readonly assignments: AssignmentsRepo;
  readonly messages: MessagesRepo;
  readonly documents: DocumentsRepo;
  readonly conversations: ConversationsRepo;
  readonly summaries: SummariesRepo;
  readonly #db: RootDb;
  readonly #writer: GroupCommitWriter;
  #closing: Promise<void> | null = null;

  /** @internal use {@link openStore} */
  constructor(db: RootDb, ctx: StoreContext) {
    this.#db = db;
    this.#writer = ctx.writer;
    this.system = new SystemRepo(ctx);
    this.tenants = new TenantsRepo(ctx);
    this.clients = new ClientsRepo(ctx);
    this.prescriptions = new PrescriptionsRepo(ctx);
    this.jobs = new JobsRepo(ctx, this.prescriptions);
    this.webhooks = new WebhooksRepo(ctx);
    this.webhookDeliveries = new WebhookDeliveriesRepo(ctx, this.webhooks);
    this.outbox = new OutboxRepo(ctx, db);
    this.reminders = new RemindersRepo(ctx);
    this.noteQueue = new NoteQueueRepo(ctx, db);
    this.notes = new NotesRepo(ctx, this.noteQueue);
    this.carePlans = new CarePlansRepo(ctx);
    this.tasks = new TasksRepo(ctx);
    this.users = new UsersRepo(ctx);
    this.invitations = new InvitationsRepo(ctx);
    this.sessions = new SessionsRepo(ctx);
    this.settings = new TenantSettingsRepo(ctx);
    this.patients = new PatientsRepo(ctx);
    this.assignments = new AssignmentsRepo(ctx);
    this.messages = new MessagesRepo(ctx);
    this.documents = new DocumentsRepo(ctx);
    this.conversations = new ConversationsRepo(ctx);
    this.summaries = new SummariesRepo(ctx);
  }

  /** Group-commit counters: synced `db.batch` calls vs writes they carried. */
  stats(): GroupCommitStats {
    return this.#writer.stats();
  }

  /** Waits for queued durable writes, then closes LevelDB (releasing its lock). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#writer.close();
      await this.#db.close();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Opens (creating if needed) the store in `dir`. STORE_UNAVAILABLE when another process holds the
 * directory (details.reason `locked`), when it cannot be opened, or when it was created with a
 * different master key (`master_key_mismatch`).
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { dir, masterKey } = options;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const db: RootDb = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
  try {
    await db.open();
  } catch (e) {
    const locked = (e as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
    throw new WardClerkError(
      'STORE_UNAVAILABLE',
      locked ? `the store at ${dir} is in use by another process (only one gateway may open it)` : `the store at ${dir} cannot be opened`,
      { details: { reason: locked ? 'locked' : 'open_failed', dir }, cause: e },
    );
  }
  try {
    // Root-level ops with fully prefixed keys: the key we seal against is exactly the key written.
    const writer = new GroupCommitWriter({ batch: (ops: RawOp[], o) => db.batch(ops, o) });
    const layout = new Layout(db);
    const keyring = await Keyring.open(layout, writer, masterKey);
    const ctx: StoreContext = { layout, writer, keyring, vault: new Vault(keyring), locks: new KeyedLock() };
    return new Store(db, ctx);
  } catch (e) {
    await db.close();
    throw e;
  }
}
