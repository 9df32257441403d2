/**
 * The single entry for commands, whichever transport carried them (Electron IPC or
 * the browser-mode WebSocket): the argument arrives as `unknown`, is parsed with the
 * contract's schema, and only then reaches a handler. Failures come back as data.
 */
import type { z } from 'zod';
import type { AppError, Result } from '../../../shared/ipc/app-error';
import { fail } from '../../../shared/ipc/app-error';
import type { CommandName, CommandValues, ParsedCommandArgs } from '../../../shared/ipc/ipc-contract';
import { commandSchemas } from '../../../shared/ipc/ipc-contract';

export type CommandHandlers = {
  [K in CommandName]: (args: ParsedCommandArgs<K>) => Promise<Result<CommandValues[K]>>;
};

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commandSchemas, value);
}

/** Turns schema issues into one readable sentence per problem, naming the field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      // The wrapper objects add nothing for the user; the field's name is what helps.
      const path = issue.path.filter((p) => p !== 'config' && p !== 'settings').join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join(' ');
}

export async function dispatchCommand(handlers: CommandHandlers, name: unknown, rawArgs: unknown): Promise<Result<unknown>> {
  if (!isCommandName(name)) {
    return fail({ code: 'INVALID_INPUT', message: `Unknown command "${String(name).slice(0, 64)}".` });
  }
  const parsed = commandSchemas[name].safeParse(rawArgs);
  if (!parsed.success) {
    return fail({ code: 'INVALID_INPUT', message: describeIssues(parsed.error) });
  }
  try {
    // The schema table and the handler table are keyed alike; TypeScript cannot
    // correlate the two unions through the index, hence the narrow cast.
    const handler = handlers[name] as (args: unknown) => Promise<Result<unknown>>;
    return await handler(parsed.data);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const appError: AppError = { code: 'UNEXPECTED', message: `The command "${name}" failed: ${reason}` };
    return fail(appError);
  }
}
