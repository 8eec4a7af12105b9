/**
 * Preloaded into every test process by scripts/run-tests.mjs (`--import`):
 * - registers every capability's words with the translator, so tests that render pages or translate
 *   without building a site (unit tests of pages, of the test bank's routes) get the same text as the site.
 *   It imports each `src/…/messages.ts` (plain data, no capability code), not src/modules.ts, to keep every
 *   test process light; test/messages.test.ts checks that these files are exactly the manifests' catalogs;
 * - makes a translation of a key no catalog defines throw, so the page's test fails (a site shows the key).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { onMissingMessage, registerMessages, type Messages } from '../../src/core/i18n/index.js';

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');

/** Every capability's messages.ts under src/, sorted. */
export function messageFiles(dir = SRC): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) found.push(...messageFiles(p));
    else if (entry === 'messages.ts') found.push(p);
  }
  return found.sort();
}

for (const file of messageFiles()) {
  const catalog = (await import(pathToFileURL(file).href)) as Partial<Messages>;
  // One without both catalogs is reported by test/messages.test.ts, not by every test process.
  if (catalog.en && catalog.fr) registerMessages(path.relative(SRC, file), { en: catalog.en, fr: catalog.fr });
}

onMissingMessage((key, locale) => {
  throw new Error(`The message key ${key} (${locale}) is in no registered catalog: add it to its capability's messages.ts`);
});
