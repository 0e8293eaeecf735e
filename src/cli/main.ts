// Entry of the `lathe` command: parses the arguments and runs the command.
import { fail } from './output.js';
import { buildProgram } from './program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((err) => fail(err));
