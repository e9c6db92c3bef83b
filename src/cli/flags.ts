import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, errorMessage } from '../errors.ts';
import { didYouMean } from './commands.ts';

/**
 * Strict flag parsing: an unknown flag (with the closest known one, when there is one) or a missing value is a
 * UsageError naming the command's usage.
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = errorMessage(error).replace(/\. To specify .*$/, '');
    const unknown = /^Unknown option '--?([^'=]+)'/.exec(message)?.[1];
    const suggestion = unknown === undefined ? undefined : didYouMean(unknown, Object.keys(options));
    throw new UsageError(suggestion ? `${message}; did you mean --${suggestion}?` : message, usage);
  }
}

/** Parses one command's flags with the options its entry in the command table declares. */
export function parseCommand<F extends NonNullable<ParseArgsConfig['options']>>(command: { name: string; flags: F }, args: string[]) {
  return parseFlags(args, command.flags, `run \`conformance ${command.name} --help\` for its options`);
}

/** True when the arguments ask for help (-h or --help before any `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
