/**
 * The two outside listeners of `reminder.due` for suites on real processes: a patient's app on
 * the WebSocket (connected again by the test after a gateway restart, as an app reconnects) and a
 * tenant's webhook receiver on loopback. Both keep every `reminder.due` they were given, each
 * frame or POST as it came (duplicates included): the tests count deliveries by delivery id.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { z } from 'zod';

/** The event data of a `reminder.due` (ids and times only). */
export const ReminderDueSchema = z.object({
  reminder_id: z.string(),
  delivery_id: z.string(),
  due_at: z.iso.datetime(),
  late: z.boolean(),
  nag: z.number().int(),
});
export type ReminderDue = z.infer<typeof ReminderDueSchema>;

const EventSchema = z.object({ id: z.string(), type: z.string(), data: z.unknown() });
const FrameSchema = z.object({ type: z.string(), event: EventSchema.optional() });

/** A `reminder.due` event's data (its id must be the delivery id); null for any other event. */
function reminderDue(value: unknown): ReminderDue | null {
  const event = EventSchema.parse(value);
  if (event.type !== 'reminder.due') return null;
  const data = ReminderDueSchema.parse(event.data);
  if (data.delivery_id !== event.id) throw new Error(`reminder.due ${event.id} carries delivery id ${data.delivery_id}`);
  return data;
}

export interface PatientApp {
  /** Every `reminder.due` frame received, on any connection, in order. */
  readonly frames: ReminderDue[];
  /** Opens a socket to the gateway at `base`; resolves once the hub says `ready`. The previous one is closed. */
  connect(base: string): Promise<void>;
  /** Resolves once the current socket is closed (e.g. its gateway was killed). */
  closed(): Promise<void>;
  close(): void;
}

/** A patient's app on `/api/v1/ws` with the patient's token (offered as a subprotocol). */
export function patientApp(token: string): PatientApp {
  const frames: ReminderDue[] = [];
  let ws: WebSocket | null = null;
  let gone: Promise<void> = Promise.resolve();
  return {
    frames,
    connect(base) {
      ws?.terminate();
      const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/ws`, ['wardclerk.v1', token]);
      ws = socket;
      gone = new Promise((resolve) => socket.once('close', () => resolve()));
      return new Promise((ready, fail) => {
        socket.on('message', (raw) => {
          const frame = FrameSchema.parse(JSON.parse(String(raw)));
          if (frame.type === 'ready') ready();
          if (frame.type !== 'event') return;
          const due = reminderDue(frame.event);
          if (due) frames.push(due);
        });
        socket.once('error', fail);
        socket.once('close', (code) => fail(new Error(`socket closed with ${code} before ready`)));
      });
    },
    closed: () => gone,
    close: () => ws?.terminate(),
  };
}

export interface WebhookReceiver {
  /** The URL to subscribe. */
  readonly url: string;
  /** Every `reminder.due` POSTed, in order (a retried delivery appears again). */
  readonly received: ReminderDue[];
  close(): Promise<void>;
}

/** A loopback HTTP server that answers every webhook POST with 200 and keeps its `reminder.due` events. */
export async function webhookReceiver(): Promise<WebhookReceiver> {
  const received: ReminderDue[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += String(d); });
    req.on('end', () => {
      const due = reminderDue(JSON.parse(body));
      if (due) received.push(due);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
