import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { boot } from './boot.js';
import { ConfigError, loadConfig } from './core/config.js';
import { federationConfig } from './federation/config.js';
import { paymentsConfig } from './funding/providers/config.js';
import { videosConfig } from './videos/config.js';
import { isSetUp, performSetup, setupSchema, AlreadySetUpError } from './setup/service.js';

const USAGE = `Usage: fanfare init [--email a@b.c] [--name "Your name"] [--channel-name "Channel"] [--handle handle]
                    [--description "..."] [--language en|fr] [--password "..."]
Creates the owner account and the first channel (what the first visit to /setup does).
Missing values are asked for when run in a terminal.`;

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
  const config = loadConfig(process.env, { loadDotEnv: true, fragments: [federationConfig, paymentsConfig, videosConfig] });
  const deps = await boot(config);
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

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'init') return init(rest);
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
