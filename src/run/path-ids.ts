import type { SchemaValidator } from '../core/profile.ts';
import type { JsonSchema, Operation } from '../spec/types.ts';

/**
 * Ids the run reuses as valid path parameters (created, listed or harvested ones) must fit the parameter's own
 * schema: an id a mock echoes back (`string` for `/lobbies/{lobbyId}` whose pattern is `^[0-9a-f]{24}$`) would
 * otherwise be sent as a valid id, and every answer to it would be judged as if it were one. Such ids are left
 * out (the generated values are used instead), with one warning per parameter.
 */
export class PathIdCheck {
  private readonly schemas = new Map<string, JsonSchema>();
  private readonly warned = new Set<string>();

  constructor(
    operations: readonly Operation[],
    private readonly validators: SchemaValidator,
    private readonly warn: (message: string) => void,
  ) {
    for (const op of operations) for (const p of op.parameters) if (p.in === 'path' && !this.schemas.has(p.name)) this.schemas.set(p.name, p.schema);
  }

  fits(name: string, id: string): boolean {
    const schema = this.schemas.get(name);
    if (!schema) return true;
    const numeric = schema.type === 'integer' || schema.type === 'number';
    const value = numeric && id.trim() !== '' && Number.isFinite(Number(id)) ? Number(id) : id;
    if (this.validators.validate(schema, value, 'request').length === 0) return true;
    if (!this.warned.has(name)) {
      this.warned.add(name);
      this.warn(`an id for {${name}} from the API does not fit the parameter's own schema (${JSON.stringify(id.slice(0, 60))}): such ids are not used as valid ids`);
    }
    return false;
  }

  /** The ids that fit. */
  keep(name: string, ids: string[]): string[] {
    return ids.filter((id) => this.fits(name, id));
  }
}
