import type { Context } from 'hono';

export type AppEnv = { Bindings: Env };
export type AppContext = Context<AppEnv>;

/** `?page=N`: 1 when absent, null when not a positive integer (a client error). */
export function parsePageParam(value: string | undefined): number | null {
  if (value === undefined || value === '') return 1;
  if (!/^[1-9]\d{0,8}$/.test(value)) return null;
  return Number(value);
}

export function wantsJson(c: AppContext): boolean {
  return c.req.path.startsWith('/api/') || c.req.path === '/api';
}
