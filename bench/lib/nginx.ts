import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { waitForHttp } from './processes.js';

/** How to run a benchmark nginx: what to serve, where, and with how many worker processes. */
export interface NginxOptions {
  /** Folder served at `urlPrefix`. */
  root: string;
  urlPrefix: string;
  port: number;
  workers: number;
  /** Scratch folder for the config, pid file, logs and temp paths: nothing outside it is touched. */
  dir: string;
  /** Extra header lines (`add_header …;`) so both servers send comparable responses. */
  extraDirectives?: string[];
  /** Run nginx (master and workers) on this CPU only, with taskset. */
  cpu?: string;
}

/** A running nginx: its master process and a way to stop it. */
export interface RunningNginx {
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground (`daemon off`) as a child of this process, with a config in `dir`:
 * `sendfile on; tcp_nopush on;` as a production static-file setup would have, no access log, and
 * keep-alive connections that are never closed for having served too many requests.
 */
export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  await mkdir(options.dir, { recursive: true });
  const config = path.join(options.dir, 'nginx.conf');
  const temp = (name: string) => path.join(options.dir, name);
  await writeFile(
    config,
    `worker_processes ${options.workers};
daemon off;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  types {
    application/vnd.apple.mpegurl m3u8;
    video/iso.segment m4s;
    video/mp4 mp4;
    text/vtt vtt;
    image/jpeg jpg;
  }
  server {
    listen 127.0.0.1:${options.port};
    location ${options.urlPrefix} {
      alias ${options.root}/;
      ${(options.extraDirectives ?? []).join('\n      ')}
    }
  }
}
`,
  );
  // -e sends start-up errors to our folder instead of /var/log/nginx; -p makes relative paths ours too.
  const args = ['-p', options.dir, '-e', temp('error.log'), '-c', config];
  const child = options.cpu === undefined
    ? spawn('nginx', args, { stdio: ['ignore', 'inherit', 'inherit'] })
    : spawn('taskset', ['-c', options.cpu, 'nginx', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForHttp(`http://127.0.0.1:${options.port}/`, child);
  return {
    process: child,
    stop: () => stopChild(child),
  };
}

/** Sends SIGTERM (nginx: fast shutdown; node: exit) and waits for the process to go. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
