/** Redaction lives in src/http/redact.ts (the curl lines need it below the report); this file re-exports it. */
export * from '../http/redact.ts';
