// `pnpm clearway dicos …`: DICOS files (NEMA IIC 1) from the command line.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DicosError, inspect } from '@clearway/dicos';

/** Adds the `dicos` command group (`inspect` reads files only) and returns it. */
export function registerDicosCommands(program: Command): Command {
  const dicos = program.command('dicos').description('DICOS files: images (DX, CT) and threat detection reports');
  dicos.command('inspect')
    .description('print one JSON object describing a DICOS file (SOP class, transfer syntax, geometry; TDR decision and PTOs)')
    .argument('<file>', 'DICOS file (.dcm)')
    .action(async (file: string) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        console.error(`clearway: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        return;
      }
      try {
        console.log(JSON.stringify(inspect(bytes)));
      } catch (error) {
        if (!(error instanceof DicosError)) throw error;
        console.error(`clearway: ${file}: ${error.reason}: ${error.message}`);
        process.exitCode = 1;
      }
    });
  return dicos;
}
