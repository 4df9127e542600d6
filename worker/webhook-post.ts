/**
 * One HTTP POST of a webhook delivery. node:http(s) rather than fetch because the DNS lookup can be
 * checked at connect time: when private targets are disallowed, the address actually connected to
 * is vetted (no DNS-rebinding gap between a check and the request). Redirects are not followed;
 * the response body is discarded. Nothing here logs: callers log ids and the outcome only.
 */
import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { ErrorCode } from '../core/errors.js';
import { isPrivateAddress } from './private-address.js';

export interface WebhookPostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** ok: a 2xx answer. Otherwise a code, whether retrying can help, and the status when one came. */
export type WebhookPostResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; code: ErrorCode; retryable: boolean; reason: string };

class PrivateTargetError extends Error {
  override name = 'PrivateTargetError';
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (err, address, family) => {
    if (err) return callback(err, address as string, family);
    const list: Array<{ address: string }> = Array.isArray(address) ? address : [{ address }];
    if (list.some((a) => isPrivateAddress(a.address))) {
      return callback(new PrivateTargetError('private address') as NodeJS.ErrnoException, '', 0);
    }
    callback(null, address as string, family);
  });
};

/** Sends the POST and classifies the answer. Never throws. */
export function postWebhook(req: WebhookPostRequest): Promise<WebhookPostResult> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.resolve({ ok: false, status: null, code: 'VALIDATION_FAILED', retryable: false, reason: 'invalid_url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve({ ok: false, status: null, code: 'VALIDATION_FAILED', retryable: false, reason: 'unsupported_scheme' });
  }
  // IP literals are connected to without a lookup, so they are checked here; names in guardedLookup.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!req.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
    return Promise.resolve({ ok: false, status: null, code: 'FORBIDDEN', retryable: false, reason: 'private_target' });
  }
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
        ...(req.allowPrivate ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        res.resume();
        res.on('error', () => undefined);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) settle({ ok: true, status });
        else settle({ ok: false, status, code: 'PROVIDER_ERROR', retryable: true, reason: `http_${status}` });
      },
    );
    request.on('error', (err: Error) => {
      if (err instanceof PrivateTargetError || err.cause instanceof PrivateTargetError) {
        settle({ ok: false, status: null, code: 'FORBIDDEN', retryable: false, reason: 'private_target' });
      } else if (err.name === 'AbortError' || err.name === 'TimeoutError') {
        settle({ ok: false, status: null, code: 'TIMEOUT', retryable: true, reason: 'timeout' });
      } else {
        settle({ ok: false, status: null, code: 'PROVIDER_ERROR', retryable: true, reason: (err as NodeJS.ErrnoException).code ?? 'network_error' });
      }
    });
    request.end(req.body);
  });
}
