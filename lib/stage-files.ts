// Infrastructure: where each stage's settings live: one TypeScript file per stage, config/stages/<stage>.ts, whose
// default export is checked against StageSettings by the compiler and by lib/app-context.ts's schema at synth time.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { STAGE_NAME, type StageSettings } from './app-context';
import { projectRoot } from './bundling';

/** The folder of the stage files, from the project root. */
export const STAGE_FOLDER = 'config/stages';

/** The stage file of a stage, from the project root. */
export const stageFileOf = (stage: string): string => `${STAGE_FOLDER}/${stage}.ts`;

/** The stages that have a file, by name (an example such as prod.example.ts is not one: its name has a dot). */
export function stagesWithFiles(): string[] {
  return readdirSync(join(projectRoot, STAGE_FOLDER))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .filter((stage) => STAGE_NAME.test(stage))
    .sort();
}

/** The settings of a stage from its file, or an error naming the file to create. */
export async function loadStageSettings(stage: string): Promise<StageSettings> {
  if (!STAGE_NAME.test(stage)) throw new Error(`adminpass: stage ${JSON.stringify(stage)} must be 1 to 20 lowercase letters, digits or hyphens, starting with a letter`);
  const file = join(projectRoot, stageFileOf(stage));
  if (!existsSync(file)) {
    throw new Error(`adminpass: no settings for stage ${stage}: create ${stageFileOf(stage)} (copy ${STAGE_FOLDER}/prod.example.ts, which lists every setting)`);
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: StageSettings };
  if (module.default === undefined) throw new Error(`adminpass: ${stageFileOf(stage)} has no default export: end it with \`export default { … } satisfies StageSettings;\``);
  return module.default;
}
