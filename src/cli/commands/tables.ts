// `lathe tables …` commands. (Placeholder: the tables area fills this in.)
import type { Command } from 'commander';

export function registerTablesCommands(program: Command): void {
  program.command('tables').description('Import, append and inspect tables');
}
