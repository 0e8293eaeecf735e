// The `lathe` command line program: global flags and every command group.
import { Command } from 'commander';
import { registerModelsCommands } from './commands/models.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTablesCommands } from './commands/tables.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('lathe')
    .description('Lathe: build, evaluate, publish and retrain machine-learning models on your own tables.')
    .option('--url <url>', 'talk to a running Lathe server (env LATHE_URL); default: work on the local data folder')
    .option('--data-dir <dir>', 'local data folder (env LATHE_DATA_DIR, default ./data)')
    .option('--json', 'print JSON for scripts instead of text');
  registerServeCommand(program);
  registerTablesCommands(program);
  registerModelsCommands(program);
  return program;
}
