/** The wire shapes live in src/core/http.ts (below every layer that uses them); this file re-exports them. */
export type { OutgoingRequest, HttpResponse } from '../core/http.ts';
export { TransportError } from '../core/http.ts';
