/** The check types live in src/core/check.ts (below every layer that uses them); this file re-exports them. */
export type { Intent, Exchange, CheckContext, Check, Verdict, ValidationIssue, SchemaValidator } from '../core/check.ts';
export { judge } from '../core/check.ts';
