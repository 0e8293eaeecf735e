// Ids of new models and runs: a readable prefix and 16 random hex digits.
import { randomBytes } from 'node:crypto';

export const newId = (prefix: string) => prefix + randomBytes(8).toString('hex');
