// The error body every failing API call returns.
import { z } from 'zod';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable code: NOT_FOUND, CONFLICT, INVALID_TRANSITION, INVALID_INPUT, INVALID_CONFIGURATION, INVALID_DATA, PAYLOAD_TOO_LARGE, INTERNAL'),
      message: z.string().describe('What is wrong and what to do about it.'),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof ErrorBody>;
