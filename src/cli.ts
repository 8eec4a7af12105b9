import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { boot } from './boot.js';
import { ConfigError, loadConfig } from './core/config.js';
import { MODULES } from './modules.js';
import { isSetUp, performSetup, setupSchema, AlreadySetUpError } from './setup/index.js';
import { buildSite, configFragments, registerCapabilityMessages, subscriberIndex } from './site.js';
import { ArchiveError, exportChannel, importArchive } from './portability/index.js';
import { translator, isLocale } from './core/i18n/index.js';
import { IMPORT_YOUTUBE_USAGE, importYouTubeCommand } from './moving/index.js';
import { fanBudgetSettlement, formatReport, isMonthKey, MonthNotClosedError, settleMonth } from './funding/fan-budget/index.js';

const USAGE = `Usage: fanfare init [--email a@b.c] [--name "Your name"] [--channel-name "Channel"] [--handle handle]
                    [--description "..."] [--language en|fr] [--password "..."]
Creates the owner account and the first channel (what the first visit to /setup does).
Missing values are asked for when run in a terminal.

       fanfare settle --month 2026-11 [--now 2026-12-01T00:00:00Z] [--json]
Settles (or finishes settling) the monthly fan budget of a closed month, as the scheduler does at 00:00
on the 1st, and prints its report. --now replaces the clock (tests, replays); --json prints the report as JSON.

       fanfare export --channel HANDLE [--out FILE]
Writes the channel's archive (ZIP: rows, media, ledger, PeerTube-compatible files, manifest.json with
SHA-256 of every file) to FILE (HANDLE-YYYY-MM-DD.zip by default).

       fanfare import ARCHIVE [--dry-run] [--handle NEW] [--owner EMAIL] [--lang en|fr] [--json]
Recreates the archived channel on this site (ids remapped, ledger history replayed). --dry-run checks
the archive and reports what it would do. Importing the same archive again changes nothing; a stopped
import resumes where it stopped. A PeerTube account export (6.1+, with video files) is recognised too:
its channels become channels of the account --owner EMAIL (required), with their videos, captions,
chapters, thumbnails, avatars, the creator's comments under them and the list of followers.

${IMPORT_YOUTUBE_USAGE}`;

async function init(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'channel-name': { type: 'string' },
      handle: { type: 'string' },
      description: { type: 'string' },
      language: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const answers: Record<string, string | undefined> = {
    email: values.email,
    display_name: values.name,
    channel_name: values['channel-name'],
    handle: values.handle,
    description: values.description ?? '',
    channel_language: values.language,
    password: values.password ?? '',
  };
  if (process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const prompts: [string, string][] = [
      ['display_name', 'Your name: '],
      ['email', 'Your e-mail address: '],
      ['channel_name', 'Channel name: '],
      ['handle', 'Channel handle (a-z, 0-9, _): '],
      ['channel_language', 'Channel language (en/fr): '],
    ];
    for (const [key, question] of prompts) if (!answers[key]) answers[key] = (await rl.question(question)).trim();
    rl.close();
  }
  const parsed = setupSchema.safeParse(answers);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`  ${String(issue.path[0])}: ${issue.message === 'error.required' || issue.code === 'invalid_type' ? 'required' : 'invalid value'}`);
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, { loadDotEnv: true, fragments: configFragments(MODULES) });
  const deps = await boot(config, { subscribers: subscriberIndex(MODULES) });
  try {
    if (await isSetUp(deps.db)) {
      console.error('This site is already set up.');
      return 1;
    }
    const d = parsed.data;
    await performSetup(deps, {
      displayName: d.display_name,
      language: d.channel_language,
      email: d.email,
      password: d.password,
      channel: { handle: d.handle, name: d.channel_name, description: d.description, language: d.channel_language },
    });
    console.log(`Site set up. Owner: ${d.email}. Channel: @${d.handle}. Start it with "npm start" and log in at ${config.publicUrl}/login`);
    return 0;
  } catch (error) {
    if (error instanceof AlreadySetUpError) {
      console.error('This site is already set up.');
      return 1;
    }
    throw error;
  } finally {
    deps.mailer.close();
    await deps.db.close();
  }
}

async function settle(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { month: { type: 'string' }, now: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const now = values.now ? new Date(values.now) : undefined;
  if (!values.month || !isMonthKey(values.month) || (now && Number.isNaN(now.getTime()))) {
    console.error('settle needs --month YYYY-MM (and --now, when given, an ISO date)');
    return 2;
  }
  const config = loadConfig(process.env, { loadDotEnv: true, fragments: configFragments(MODULES) });
  const deps = await boot(config, { subscribers: subscriberIndex(MODULES), clock: now ? { now: () => now } : undefined });
  try {
    const site = buildSite(deps, MODULES);
    const report = await settleMonth(fanBudgetSettlement(site.ctx), values.month);
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ledgerOk && report.problems.length === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof MonthNotClosedError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    deps.mailer.close();
    await deps.db.close();
  }
}

async function withSite<T>(work: (deps: Awaited<ReturnType<typeof boot>>) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, { loadDotEnv: true, fragments: configFragments(MODULES) });
  const deps = await boot(config, { subscribers: subscriberIndex(MODULES) });
  try {
    return await work(deps);
  } finally {
    deps.mailer.close();
    await deps.db.close();
  }
}

async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { channel: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || !values.channel) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const handle = values.channel.replace(/^@/, '');
  const out = values.out ?? `${handle}-${new Date().toISOString().slice(0, 10)}.zip`;
  return withSite(async (deps) => {
    try {
      const result = await exportChannel(deps, MODULES, { handle, out });
      const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
      console.log(`Exported @${handle} to ${out}: ${rows} rows, ${result.files} files (${result.bytes} bytes). Archive ${result.archiveId}.`);
      return 0;
    } catch (error) {
      if (error instanceof ArchiveError) {
        console.error(translator('en')(error.messageKey, error.vars));
        return 1;
      }
      throw error;
    }
  });
}

async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean' }, handle: { type: 'string' }, owner: { type: 'string' }, lang: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const t = translator(isLocale(values.lang) ? values.lang : 'en');
  return withSite(async (deps) => {
    try {
      const report = await importArchive(deps, MODULES, { file: positionals[0]!, dryRun: values['dry-run'], handle: values.handle, ownerEmail: values.owner });
      if (values.json) console.log(JSON.stringify(report, null, 2));
      else {
        const rows = Object.values(report.counts).reduce((a, b) => a + b, 0);
        const what = report.alreadyImported ? 'Already imported (nothing changed)' : report.dryRun ? 'Dry run, nothing written: would import' : 'Imported';
        console.log(`${what} @${report.handle}: ${rows} rows, ${report.files} files (${report.bytes} bytes). Old address: ${report.oldActor}`);
        for (const [table, n] of Object.entries(report.counts)) if (n) console.log(`  ${table}: ${n}`);
        const pt = report.peertube;
        if (pt) {
          if (pt.videos.withoutFile.length) console.log(`  not imported, exported without their file: ${pt.videos.withoutFile.join(', ')}`);
          if (pt.comments.skipped) console.log(`  comments not imported (under other videos, or replies to comments not in the archive): ${pt.comments.skipped}`);
          if (pt.followers.kept) console.log(`  PeerTube followers kept as a list (they must follow the new channel themselves: tell them on the old one): ${pt.followers.kept}`);
        }
      }
      return 0;
    } catch (error) {
      if (error instanceof ArchiveError) {
        console.error(t(error.messageKey, error.vars));
        return 1;
      }
      throw error;
    }
  });
}

async function importYouTube(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { channel: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values.channel) {
    console.error('import-youtube needs an ARCHIVE and --channel HANDLE');
    return 2;
  }
  return withSite((deps) => importYouTubeCommand(deps, { file: positionals[0]!, handle: values.channel!, json: values.json ?? false }));
}

async function main(): Promise<number> {
  registerCapabilityMessages(MODULES);
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'init') return init(rest);
  if (command === 'settle') return settle(rest);
  if (command === 'export') return exportCommand(rest);
  if (command === 'import') return importCommand(rest);
  if (command === 'import-youtube') return importYouTube(rest);
  console.log(USAGE);
  return command ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
