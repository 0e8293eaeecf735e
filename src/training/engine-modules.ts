// Loads extra engines from module paths (each module exports `engine`): the service and every
// training worker load the same list, so both sides resolve a model type to the same learner.
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import type { Engine } from '../engines/seam.js';

/** `modules`: file URLs or absolute paths of modules exporting `engine`. */
export async function loadEngineModules(modules: readonly string[]): Promise<Engine[]> {
  const engines: Engine[] = [];
  for (const m of modules) {
    const url = isAbsolute(m) ? pathToFileURL(m).href : m;
    const mod = (await import(url)) as { engine?: Engine };
    if (!mod.engine || typeof mod.engine.train !== 'function') {
      throw new Error(`Engine module ${m} does not export an \`engine\`.`);
    }
    engines.push(mod.engine);
  }
  return engines;
}
