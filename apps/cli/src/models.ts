// `pnpm clearway models …`: the detection model registry of a data folder. A running hub notices
// changes within a second and tells its consoles; nothing needs a restart.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ModelRefused, verifyModel } from '@clearway/detection';
import type { Store } from '@clearway/store';
import { cliActor } from './audit.ts';
import { REFERENCE_MODEL, loadOrt } from './detect.ts';

type Run = (action: (store: Store) => Promise<void> | void) => Promise<void>;

function fail(message: string): void {
  console.error(`clearway: ${message}`);
  process.exitCode = 1;
}

/** Adds the `models` command group. */
export function registerModelCommands(program: Command, run: Run): void {
  const models = program.command('models').description('detection models (ONNX, Ultralytics YOLOv8/YOLO11 layout) that consoles run');

  models.command('add')
    .description('check a model (header, a trial inference) and add it; prints it as JSON. A refused model changes nothing')
    .argument('<file>', 'ONNX file: an Ultralytics YOLO detection export with class names in its metadata')
    .option('--name <name>', 'display name (default: the file name)')
    .option('--activate', 'make it the model consoles run (the first model added always is)')
    .action(async (file: string, o: { name?: string; activate?: boolean }) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        return fail(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
      let info;
      try {
        info = await verifyModel(await loadOrt(), bytes);
      } catch (e) {
        if (!(e instanceof ModelRefused)) throw e;
        return fail(`${file} refused (${e.code}): ${e.message}`);
      }
      await run((store) => {
        const { model, duplicate } = store.models.add(bytes, () => info, {
          fileName: file, ...(o.name ? { name: o.name } : {}), activate: o.activate ?? false, actor: cliActor(),
        });
        console.log(JSON.stringify({ ...model, duplicate }));
      });
    });

  models.command('list')
    .description('list the models, one JSON object per line (active: the one consoles run)')
    .action(() => run((store) => {
      const all = store.models.list();
      for (const m of all) console.log(JSON.stringify(m));
      if (all.length === 0) console.error(`clearway: no models yet; the hub registers the reference model (${REFERENCE_MODEL}) when it starts`);
    }));

  models.command('use')
    .description('make a stored model the one consoles run')
    .argument('<sha256>', 'the model\'s SHA-256, or its first 6 or more hex digits (see `models list`)')
    .action((sha: string) => run((store) => {
      const model = store.models.activate(store.models.find(sha).sha256, cliActor());
      console.log(JSON.stringify(model));
    }));
}
