// Model type → engine: the built-in engines, plus extra engines a caller adds (tests register
// small real learners this way). One registry instance per service or worker, never global state.
import { LatheError } from '../domain/errors.js';
import { predictionEngine } from './prediction/index.js';
import type { Engine } from './seam.js';
import { textClassificationEngine } from './text-classification/index.js';

/** The engines Lathe ships, by model type. */
export const BUILTIN_ENGINES: readonly Engine[] = [predictionEngine as Engine, textClassificationEngine as Engine];

export interface EngineRegistry {
  get(type: string): Engine;
  has(type: string): boolean;
  types(): string[];
}

/** Builds a registry; `extra` engines replace built-in ones of the same type. */
export function createEngineRegistry(extra: readonly Engine[] = []): EngineRegistry {
  const byType = new Map<string, Engine>();
  for (const e of [...BUILTIN_ENGINES, ...extra]) byType.set(e.type, e);
  return {
    get(type) {
      const engine = byType.get(type);
      if (!engine) {
        throw new LatheError('INVALID_CONFIGURATION', `Models of type "${type}" cannot be trained or used: this Lathe has no engine for that type.`, {
          type,
          available: [...byType.keys()],
        });
      }
      return engine;
    },
    has: (type) => byType.has(type),
    types: () => [...byType.keys()],
  };
}
