import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * The environment an adopter's commands run in. scripts/test runs this package's tests on
 * the suite's Node and hands the adopter's Node (22) over as FAWKES_ADOPTER_PATH (its bin
 * directory first) and FAWKES_ADOPTER_NODEDIR (its headers, for node-gyp); without them the
 * adopter uses the Node running the tests.
 */
export function adopterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', ...extra };
  if (process.env.FAWKES_ADOPTER_PATH) {
    env.PATH = process.env.FAWKES_ADOPTER_PATH;
  }
  if (process.env.FAWKES_ADOPTER_NODEDIR) {
    env.npm_config_nodedir = process.env.FAWKES_ADOPTER_NODEDIR;
  }
  // Jest's own settings must not leak into the adopter's processes.
  delete env.NODE_OPTIONS;
  delete env.JEST_WORKER_ID;
  delete env.NODE_ENV;
  return env;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs a command the way an adopter would in a shell; a failure carries its output's tail. */
export async function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = adopterEnv(),
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd,
      env,
      maxBuffer: 256 * 1024 * 1024,
    });
    return { stdout: String(stdout), stderr: String(stderr) };
  } catch (error: any) {
    const tail = (text: unknown) => String(text ?? '').split('\n').slice(-60).join('\n');
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd} (exit ${error.code}):\n${tail(error.stdout)}\n${tail(error.stderr)}`,
    );
  }
}

/** `yarn ...` in the adopter's environment (corepack picks the app's own Yarn). */
export function adopterYarn(args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  return run('corepack', ['yarn', ...args], cwd, adopterEnv(extraEnv));
}
