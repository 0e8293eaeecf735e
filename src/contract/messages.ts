// Validation messages and warnings as the API returns them.
import { z } from 'zod';

export const Message = z
  .object({
    code: z.string().describe('Stable code, e.g. TOO_FEW_ROWS, POSSIBLE_LEAKAGE.'),
    message: z.string().describe('A sentence the user can act on.'),
    column: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;
