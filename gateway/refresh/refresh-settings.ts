/**
 * A tenant's `refresh` settings document (issue 9, RAG refresh): whether a patient's derived data
 * is refreshed automatically after a new document is INDEXED or a new note settles. Stored in the
 * tenant-settings repo (`deps.store.settings`, document `refresh`); on unless a tenant admin turns
 * it off with `PUT /api/v1/admin/settings/refresh`. Manual refreshes are never turned off.
 */
import { z } from 'zod';
import type { Store } from '../store/store.js';

export const RefreshSettingsSchema = z.object({ auto_refresh: z.boolean() }).strict();
export type RefreshSettings = z.infer<typeof RefreshSettingsSchema>;
export const DEFAULT_REFRESH_SETTINGS: RefreshSettings = { auto_refresh: true };
export const REFRESH_SETTINGS = 'refresh';

/** The tenant's refresh settings (the default when none are stored). */
export function refreshSettings(store: Pick<Store, 'settings'>, tenantId: string): Promise<RefreshSettings> {
  return store.settings.get(tenantId, REFRESH_SETTINGS, RefreshSettingsSchema, DEFAULT_REFRESH_SETTINGS);
}

/** Replaces the tenant's refresh settings durably. */
export async function putRefreshSettings(store: Pick<Store, 'settings'>, tenantId: string, value: RefreshSettings): Promise<RefreshSettings> {
  const checked = RefreshSettingsSchema.parse(value);
  await store.settings.put(tenantId, REFRESH_SETTINGS, checked);
  return checked;
}
