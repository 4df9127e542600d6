/** The lines `npm start` prints once everything is ready: where to go and how to sign in. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../core/config.js';

export interface BannerInput {
  config: Config;
  /** The gateway's URL from its ready message, when it sent one. */
  gatewayUrl: string | undefined;
  natsUrl: string;
  /** True when nats-server was started by the supervisor (not an external NATS_URL). */
  ownNats: boolean;
}

/** The URL users open: the gateway's own report, else WARDCLERK_PUBLIC_URL, else host:port. */
export function publicUrl(input: BannerInput): string {
  if (input.gatewayUrl) return input.gatewayUrl;
  if (input.config.publicUrl) return input.config.publicUrl;
  const host = input.config.host === '0.0.0.0' || input.config.host === '::' ? 'localhost' : input.config.host;
  return `http://${host}:${input.config.port}`;
}

/** Renders the banner text (no secrets: it says where the password is, never the password). */
export function renderBanner(input: BannerInput): string {
  const { config } = input;
  const passwordFile = join(config.dataDir, 'initial-admin.txt');
  let password: string;
  if (config.adminPassword !== undefined) password = 'the value of WARDCLERK_ADMIN_PASSWORD';
  else if (existsSync(passwordFile)) password = `in ${passwordFile} (generated on first start; sign in, change it, then delete the file)`;
  else password = `set on first start (${passwordFile} has since been removed)`;
  return [
    '',
    'WardClerk is running.',
    `  URL:            ${publicUrl(input)}`,
    '  Admin login:    admin',
    `  Admin password: ${password}`,
    `  NATS:           ${input.natsUrl}${input.ownNats ? ` (JetStream store in ${join(config.dataDir, 'nats')})` : ' (external)'}`,
    `  Data:           ${config.dataDir}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}
