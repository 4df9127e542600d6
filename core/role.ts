/** What each role's run function returns: a handle to stop it (and the URL it serves, if any). */
export interface RoleHandle {
  close(): Promise<void>;
  url?: string;
}

/** Tells a supervising parent (IPC channel) that this role is ready. No-op when run standalone. */
export function announceReady(role: string, url?: string): void {
  process.send?.({ type: 'ready', role, ...(url ? { url } : {}) });
}
