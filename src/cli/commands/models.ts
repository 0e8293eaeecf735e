// `lathe models …`, `lathe quick-test`, `lathe predict`. (Placeholder: the models area fills this in.)
import type { Command } from 'commander';

export function registerModelsCommands(program: Command): void {
  program.command('models').description('Create, train, publish and manage models');
}
