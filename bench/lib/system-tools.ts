import { execFileSync, spawnSync } from 'node:child_process';

/** True when `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure Debian packages providing these commands are installed: installs them with apt-get when
 * running as root, and otherwise stops with the command to run. `packages` maps command to package.
 */
export function ensureDebianPackages(packages: Record<string, string>): void {
  const missing = Object.entries(packages).filter(([command]) => !hasCommand(command));
  if (missing.length === 0) return;
  const names = missing.map(([, pkg]) => pkg);
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.map(([c]) => c).join(', ')}: run \`sudo apt-get install -y ${names.join(' ')}\` first`);
  }
  console.error(`installing ${names.join(', ')} with apt-get…`);
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...names], {
    stdio: 'inherit',
    // The Debian nginx package starts a system service on install unless told not to; we run our own.
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' },
  });
  for (const [command] of missing) if (!hasCommand(command)) throw new Error(`${command} still missing after apt-get install`);
}

/** The first line a command prints for its version flag (nginx prints it on stderr). */
export function versionOf(command: string, flag = '-v'): string {
  const result = spawnSync(command, [flag], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`.split('\n')[0]!.trim();
}
