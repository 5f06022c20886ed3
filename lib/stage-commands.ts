// Infrastructure: what `npm run deploy|diff|destroy -- --stage <stage>` hands the CDK CLI (bin/deploy.ts runs it):
// the command, the stacks it acts on, the stage as context, and the caller's other options unchanged.
import { stackNamesOf } from './adminpass';
import { DISPOSABLE_STAGE } from './app-context';

export const STAGE_COMMANDS = ['deploy', 'diff', 'destroy'] as const;
export type StageCommand = (typeof STAGE_COMMANDS)[number];

/** A stage command as parsed: what to run, on which stage, with which extra cdk options. */
export interface StageInvocation {
  readonly command: StageCommand;
  readonly stage: string;
  /** The cdk CLI's arguments: command, stacks, `-c stage=<stage>`, then the caller's other options. */
  readonly cdkArguments: readonly string[];
}

/**
 * Deploy and diff act on the whole app: the account stack, then the stage's data stack, then its API stack. Destroy
 * never touches the account stack, which every stage in the account uses, and touches the data stack only in dev.
 */
function stacksOf(command: StageCommand, stage: string): string[] {
  if (command !== 'destroy') return ['--all'];
  const names = stackNamesOf(stage);
  return stage === DISPOSABLE_STAGE ? [names.stateless, names.stateful] : [names.stateless];
}

/** The invocation of `<command> --stage <stage> [cdk options]`, or an error whose message says what to type. */
export function parseStageCommand(args: readonly string[]): StageInvocation {
  const [command, ...others] = args;
  if (!(STAGE_COMMANDS as readonly (string | undefined)[]).includes(command)) {
    throw new Error(`adminpass: usage: npm run ${STAGE_COMMANDS.join('|')} -- --stage <stage> [cdk options]`);
  }
  const stageCommand = command as StageCommand;
  const rest = [...others];
  const at = rest.findIndex((arg) => arg === '--stage' || arg.startsWith('--stage='));
  const flag = at < 0 ? undefined : rest.splice(at, 1)[0];
  const stage = flag?.startsWith('--stage=') ? flag.slice('--stage='.length) : flag === undefined ? undefined : rest.splice(at, 1)[0];
  // Named every time, dev included: a deploy that guessed the stage could be prod's.
  if (!stage || stage.startsWith('-')) throw new Error(`adminpass: name the stage: npm run ${stageCommand} -- --stage ${DISPOSABLE_STAGE}`);
  return { command: stageCommand, stage, cdkArguments: [stageCommand, ...stacksOf(stageCommand, stage), '-c', `stage=${stage}`, ...rest] };
}
