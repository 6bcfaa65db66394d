import { exports } from 'cloudflare:workers';

const worker = (exports as unknown as { default: Fetcher }).default;

/** Requests the Worker's default export, as a client would. */
export function get(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(`http://localhost:8787${path}`, init));
}
