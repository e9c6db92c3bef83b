/** The check types live in src/core/ (below every layer that uses them); this file re-exports them. */
export type { Intent, Exchange } from '../core/exchange.ts';
export type { CheckContext, Check, Verdict, ValidationIssue, SchemaValidator } from '../core/profile.ts';
export { judge } from '../core/profile.ts';
