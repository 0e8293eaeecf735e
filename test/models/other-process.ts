// Run as a separate process by tests: opens a data folder (as the CLI does beside a server),
// renames a model, and closes. Usage: node --import tsx other-process.ts <dataDir> <modelId> <name>
import { openLathe } from '../../src/services/lathe.js';

const [dataDir, modelId, name] = process.argv.slice(2);
const lathe = await openLathe({ dataDir });
try {
  await lathe.models.update(modelId, { name });
  const run = (await lathe.models.get(modelId)).activeRun;
  process.stdout.write(JSON.stringify({ activeRun: run?.status ?? null }) + '\n');
} finally {
  await lathe.close();
}
