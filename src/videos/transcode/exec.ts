import { spawn } from 'node:child_process';

/** Options of {@link runTool}. */
export interface RunToolOptions {
  /** Kill the process after this long; the result then has `timedOut: true`. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each chunk of stdout as it arrives (ffmpeg's `-progress pipe:1`). */
  onStdout?: (chunk: string) => void;
  /** Keep all of stdout in the result; off for long runs whose stdout is only progress. */
  collectStdout?: boolean;
  /** Working directory; ffmpeg's relative output names resolve against it. */
  cwd?: string;
}

/** How a process run by {@link runTool} ended. */
export interface RunToolResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last lines of stderr (bounded), which is where ffmpeg says what went wrong. */
  stderrTail: string;
  timedOut: boolean;
  aborted: boolean;
}

const STDERR_KEEP_CHARS = 8_000;

/**
 * Runs one executable without a shell (arguments are never re-parsed) and resolves when it exits,
 * whatever the exit code; only a failure to start at all rejects. Abort and timeout send SIGKILL:
 * ffmpeg ignores nothing of that, and there is no partial output worth a graceful stop.
 */
export function runTool(file: string, args: string[], options: RunToolOptions = {}): Promise<RunToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    const kill = () => child.kill('SIGKILL');
    const onAbort = () => {
      aborted = true;
      kill();
    };
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          kill();
        }, options.timeoutMs)
      : undefined;
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.collectStdout !== false) stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_KEEP_CHARS * 2) stderr = stderr.slice(-STDERR_KEEP_CHARS);
    });
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      cleanup();
      reject(error);
    });
    child.on('close', (code, signal) => {
      cleanup();
      resolve({ code, signal, stdout, stderrTail: tailLines(stderr, 20), timedOut, aborted });
    });
  });
}

/** The last `count` non-empty lines of `text`, capped in length so an error message stays readable. */
export function tailLines(text: string, count: number): string {
  const lines = text.split(/\r?\n|\r/).filter((line) => line.trim() !== '');
  return lines.slice(-count).join('\n').slice(-STDERR_KEEP_CHARS);
}
