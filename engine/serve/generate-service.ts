/**
 * The engine's side of streamed generation (`wc.engine.generate`, queue group `engine`): each
 * request names a reply inbox; tokens go there as they come, then exactly one `done` or `error`
 * frame. A message on `wc.engine.cancel.<request_id>` aborts that request's signal, which stops
 * the model (or takes the request out of the model's queue). Frames carry generated text only to
 * the requesting gateway; nothing here is logged but ids and codes.
 */
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { decodeJson, encodeJson } from '../../core/bus.js';
import { CANCEL_WILDCARD, GENERATE_SUBJECT, GenerateRequestSchema, type GenerateFrame, type GenerateRequest } from '../../core/contracts.js';
import { WardClerkError, isWardClerkError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { LoadedModel, LoadedModels } from './loaded-models.js';

export interface GenerateServiceOptions {
  nc: NatsConnection;
  models: LoadedModels;
  log: Logger;
}

export interface GenerateService {
  /** Requests currently generating or queued on this engine. */
  inFlight(): number;
  /** Stops taking requests and aborts the running ones. */
  close(): void;
}

// A cancel can overtake its request when the gateway gives up very early; remember a few.
const EARLY_CANCELS = 1000;

function errorFrame(e: unknown): GenerateFrame {
  const coded = isWardClerkError(e) ? e : new WardClerkError('INTERNAL', 'Internal error');
  return { type: 'error', error: coded.toJSON() };
}

export function serveGenerate(options: GenerateServiceOptions): GenerateService {
  const { nc, models, log } = options;
  const running = new Map<string, AbortController>();
  const earlyCancels = new Set<string>();
  const subs: Subscription[] = [nc.subscribe(GENERATE_SUBJECT, { queue: 'engine' }), nc.subscribe(CANCEL_WILDCARD)];

  const handle = async (req: GenerateRequest, inbox: string, controller: AbortController) => {
    const send = (frame: GenerateFrame) => {
      if (!nc.isClosed()) nc.publish(inbox, encodeJson(frame));
    };
    let loaded: LoadedModel | undefined;
    try {
      loaded = models.get(req.model_id);
      const model = loaded;
      await model.gate.run(async () => {
        const started = performance.now();
        for await (const ev of model.model.stream({
          messages: req.messages,
          maxTokens: req.max_tokens,
          ...(req.json_schema ? { jsonSchema: req.json_schema } : {}),
          ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
          signal: controller.signal,
        })) {
          if (ev.type === 'token') {
            send({ type: 'token', text: ev.text });
            continue;
          }
          const seconds = (performance.now() - started) / 1000;
          model.record(ev.usage.completionTokens, seconds);
          model.count('completed');
          send({
            type: 'done',
            model_id: model.id,
            text: ev.text,
            ...(ev.json !== undefined ? { json: ev.json } : {}),
            finish_reason: ev.finishReason,
            usage: { prompt_tokens: ev.usage.promptTokens, completion_tokens: ev.usage.completionTokens },
            tokens_per_s: seconds > 0 ? Math.round((ev.usage.completionTokens / seconds) * 10) / 10 : null,
          });
        }
      }, controller.signal);
    } catch (e) {
      loaded?.count(isWardClerkError(e) && e.code === 'CANCELLED' ? 'cancelled' : 'failed');
      if (!isWardClerkError(e)) log.error({ err: { type: (e as Error)?.name, stack: (e as Error)?.stack }, request_id: req.request_id }, 'generation failed');
      send(errorFrame(e));
    }
  };

  void (async () => {
    for await (const m of subs[1]!) {
      const id = m.subject.slice(CANCEL_WILDCARD.length - 1);
      const c = running.get(id);
      if (c) c.abort(new WardClerkError('CANCELLED', 'request cancelled'));
      else {
        earlyCancels.add(id);
        if (earlyCancels.size > EARLY_CANCELS) earlyCancels.delete(earlyCancels.values().next().value as string);
      }
    }
  })();

  void (async () => {
    for await (const m of subs[0]!) {
      if (!m.reply) continue;
      const inbox = m.reply;
      let parsed;
      try {
        parsed = GenerateRequestSchema.safeParse(decodeJson(m.data));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        nc.publish(inbox, encodeJson(errorFrame(new WardClerkError('VALIDATION_FAILED', `Invalid request on ${GENERATE_SUBJECT}`))));
        continue;
      }
      const req = parsed.data;
      const controller = new AbortController();
      if (earlyCancels.delete(req.request_id)) controller.abort();
      running.set(req.request_id, controller);
      void handle(req, inbox, controller).finally(() => running.delete(req.request_id));
    }
  })();

  return {
    inFlight: () => running.size,
    close() {
      for (const s of subs) s.unsubscribe();
      for (const c of running.values()) c.abort(new WardClerkError('ENGINE_UNAVAILABLE', 'engine stopping'));
    },
  };
}
