/**
 * One HTTP POST of a webhook delivery. The target is checked and resolved first
 * (core/net/resolve-target.ts: http(s) only, no credentials in the URL, every resolved address
 * allowed by the policy), then the request connects to exactly that checked address through a
 * pinned `lookup`, so a second DNS answer (rebinding) cannot redirect it; Host and TLS SNI keep the
 * URL's name. Redirects are never followed (a 3xx is a permanent failure); the response body is
 * discarded. Nothing here logs: callers log ids and the outcome only.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ErrorCode } from '../core/errors.js';
import { resolveTarget, systemResolveAll, type ResolveAll } from '../core/net/resolve-target.js';
import type { AllowList } from '../core/net/target-policy.js';

export interface WebhookPostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Private/loopback targets the operator allows (WARDCLERK_WEBHOOK_ALLOW). */
  allow: AllowList;
  /** DNS resolution (injected by tests); defaults to the system resolver. */
  resolveAll?: ResolveAll;
}

/** ok: a 2xx answer. Otherwise a code, whether retrying can help, and the status when one came. */
export type WebhookPostResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; code: ErrorCode; retryable: boolean; reason: string };

/** A lookup that answers only the address already checked. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/** Checks the target, sends the POST and classifies the answer. Never throws. */
export async function postWebhook(req: WebhookPostRequest): Promise<WebhookPostResult> {
  const target = await resolveTarget(req.allow, req.url, req.resolveAll ?? systemResolveAll);
  if (!target.ok) {
    if (target.problem === 'unresolvable') return { ok: false, status: null, code: 'PROVIDER_ERROR', retryable: true, reason: 'dns_unresolvable' };
    const code: ErrorCode = target.problem === 'forbidden_address' ? 'WEBHOOK_TARGET_FORBIDDEN' : 'VALIDATION_FAILED';
    return { ok: false, status: null, code, retryable: false, reason: target.cls ? `${target.problem}:${target.cls}` : target.problem };
  }
  const { url, address, family } = target;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: WebhookPostResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...req.headers, 'Content-Length': String(Buffer.byteLength(req.body)) },
        signal: AbortSignal.timeout(req.timeoutMs),
        agent: false,
        lookup: pinnedLookup(address, family),
      },
      (res) => {
        res.resume();
        res.on('error', () => undefined);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) settle({ ok: true, status });
        // A redirect could point anywhere (an internal address): it is refused, and retrying cannot change that.
        else if (status >= 300 && status < 400) settle({ ok: false, status, code: 'PROVIDER_ERROR', retryable: false, reason: 'redirect_refused' });
        else settle({ ok: false, status, code: 'PROVIDER_ERROR', retryable: true, reason: `http_${status}` });
      },
    );
    request.on('error', (err: Error) => {
      if (err.name === 'AbortError' || err.name === 'TimeoutError') {
        settle({ ok: false, status: null, code: 'TIMEOUT', retryable: true, reason: 'timeout' });
      } else {
        settle({ ok: false, status: null, code: 'PROVIDER_ERROR', retryable: true, reason: (err as NodeJS.ErrnoException).code ?? 'network_error' });
      }
    });
    request.end(req.body);
  });
}
