import type { z } from 'zod';
import type { ErrorBody } from './common.ts';

/** Turns a zod failure into the wire error: the first issue's path names the field. */
export function invalidPayload(error: z.ZodError): ErrorBody {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const message = issue ? `${field ?? 'payload'}: ${issue.message}` : 'invalid payload';
  return field === undefined ? { code: 'invalid', message } : { code: 'invalid', message, field };
}
