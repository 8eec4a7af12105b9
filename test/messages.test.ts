import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { catalogProblems } from '../src/core/i18n/check.js';
import { isMessageKey, registeredMessageKeys, translator, type MessageKey, type Messages } from '../src/core/i18n/index.js';
import { en as coreEn } from '../src/core/i18n/messages/en.js';
import { fr as coreFr } from '../src/core/i18n/messages/fr.js';
import { MODULES } from '../src/modules.js';
import { registerCapabilityMessages } from '../src/site.js';
import { messageFiles } from './support/messages.js';

/**
 * The site's words, per capability: each manifest in src/modules.ts brings its catalog pair (its messages.ts),
 * and core keeps the layout's. What is checked here is what `MessageKey` (the type) and the translator's
 * registry (run time) are made of, so a key cannot be typed yet missing at run time.
 */
const SRC = path.resolve(import.meta.dirname, '..', 'src');
const catalogs: { name: string; messages: Messages }[] = [
  { name: 'core', messages: { en: coreEn, fr: coreFr } },
  ...MODULES.map((m) => ({ name: m.name, messages: m.messages! })),
];

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(p) && !/\.test\.tsx?$/.test(p) ? [p] : [];
  });
}

describe('message catalogs, per capability', () => {
  it('every capability in the list declares its words: en and fr, French complete, the same arguments and valid plurals', () => {
    for (const m of MODULES) {
      assert.ok(m.messages?.en && m.messages.fr, `${m.name} has no messages: set messages: { en, fr } from its messages.ts`);
    }
    assert.deepEqual(catalogs.flatMap(({ name, messages }) => catalogProblems(name, messages)), []);
  });

  it('defines each key in one catalog only', () => {
    const owners = new Map<string, string[]>();
    for (const { name, messages } of catalogs) for (const key of Object.keys(messages.en)) owners.set(key, [...(owners.get(key) ?? []), name]);
    assert.deepEqual([...owners].filter(([, names]) => names.length > 1).map(([key, names]) => `${key}: ${names.join(', ')}`), []);
  });

  it('has exactly one messages.ts per capability, each the catalog of a manifest in the list', async () => {
    const files = messageFiles();
    const unclaimed: string[] = [];
    const claimed = new Set<string>();
    for (const file of files) {
      const mod = (await import(pathToFileURL(file).href)) as Partial<Messages>;
      const owners = MODULES.filter((m) => m.messages?.en === mod.en && m.messages?.fr === mod.fr);
      if (owners.length !== 1 || !mod.en) unclaimed.push(path.relative(SRC, file));
      for (const m of owners) claimed.add(m.name);
    }
    assert.deepEqual(unclaimed, [], 'messages.ts files that are not the catalog of exactly one capability in src/modules.ts');
    assert.deepEqual(MODULES.filter((m) => !claimed.has(m.name)).map((m) => m.name), [], 'capabilities whose catalog is not their messages.ts');
  });

  it('extends MessageKey only from the catalogs the site registers', () => {
    // `declare module … { interface MessageCatalog … }` makes keys type-check; only messages.ts files may do it.
    const extending = sourceFiles()
      .filter((file) => /interface MessageCatalog\b/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file));
    const expected = ['core/i18n/index.ts', ...messageFiles().map((file) => path.relative(SRC, file))].sort();
    assert.deepEqual(extending.sort(), expected);
  });

  it('registers every key of every catalog when the site is built from the list, and no other', () => {
    registerCapabilityMessages(MODULES);
    const expected = catalogs.flatMap(({ messages }) => Object.keys(messages.en)).sort();
    const known = [...registeredMessageKeys().keys()].filter((key) => !key.startsWith('i18n_test.')).sort();
    assert.deepEqual(known, expected);
    for (const key of expected) assert.ok(isMessageKey(key), key);
  });

  it('has a catalog entry for every key written in a t() call', () => {
    const keys = [...registeredMessageKeys().keys()];
    const missing: string[] = [];
    for (const file of sourceFiles().filter((f) => path.basename(f) !== 'messages.ts')) {
      const text = readFileSync(file, 'utf8');
      const where = path.relative(SRC, file);
      for (const m of text.matchAll(/\b(?:t|tc)\(\s*(['"])([^'"\n]+)\1/g)) if (!isMessageKey(m[2])) missing.push(`${where}: ${m[2]}`);
      // t(`visibility.${v}`): some key must start with the fixed part.
      for (const m of text.matchAll(/\b(?:t|tc)\(\s*`([^`$]*)\$\{/g)) if (!keys.some((k) => k.startsWith(m[1]!))) missing.push(`${where}: ${m[1]}…`);
    }
    assert.deepEqual(missing, []);
  });

  it('writes counts as plurals, not "(s)"', () => {
    const pseudo = catalogs.flatMap(({ name, messages }) =>
      Object.entries(messages).flatMap(([locale, catalog]) =>
        Object.entries(catalog).filter(([, text]) => /\w\((?:s|x|es)\)/.test(text)).map(([key]) => `${name} ${locale} ${key}`),
      ),
    );
    assert.deepEqual(pseudo, []);
  });

  it('says 0, 1 and 2 of things in English and French', () => {
    const en = translator('en');
    const fr = translator('fr');
    const cases: { key: MessageKey; vars: (n: number) => Record<string, number | string>; en: string[]; fr: string[] }[] = [
      { key: 'search.count', vars: (count) => ({ count }), en: ['0 results.', '1 result.', '2 results.'], fr: ['0 résultat.', '1 résultat.', '2 résultats.'] },
      {
        key: 'membership.benefit_early',
        vars: (days) => ({ days }),
        en: ['Early access: new videos 0 days before everyone', 'Early access: new videos 1 day before everyone', 'Early access: new videos 2 days before everyone'],
        fr: ['Accès anticipé : les nouvelles vidéos 0 jour avant tout le monde', 'Accès anticipé : les nouvelles vidéos 1 jour avant tout le monde', 'Accès anticipé : les nouvelles vidéos 2 jours avant tout le monde'],
      },
      {
        key: 'studio.tiers.early_access_n',
        vars: (days) => ({ days }),
        en: ['Early access: 0 days', 'Early access: 1 day', 'Early access: 2 days'],
        fr: ['Accès anticipé : 0 jour', 'Accès anticipé : 1 jour', 'Accès anticipé : 2 jours'],
      },
      {
        key: 'studio.members.churn',
        vars: (days) => ({ days }),
        en: ['Churn, last 0 days', 'Churn, last 1 day', 'Churn, last 2 days'],
        fr: ['Attrition, 0 dernier jour', 'Attrition, 1 dernier jour', 'Attrition, 2 derniers jours'],
      },
      {
        key: 'studio.members.churn_explain',
        vars: (n) => ({ at_start: n, ended: n }),
        en: [0, 1, 2].map((n) => `Of the ${n} member${n === 1 ? '' : 's'} at the start of the period, ${n} had their membership end (expire) during it.`),
        fr: [
          'Sur le 0 membre présent au début de la période, 0 a vu son abonnement prendre fin (expirer) pendant celle-ci.',
          'Sur le 1 membre présent au début de la période, 1 a vu son abonnement prendre fin (expirer) pendant celle-ci.',
          'Sur les 2 membres présents au début de la période, 2 ont vu leur abonnement prendre fin (expirer) pendant celle-ci.',
        ],
      },
      {
        key: 'studio.members.other_counts',
        vars: (n) => ({ past_due: n, cancelled: n }),
        en: [0, 1, 2].map((n) => `Also ${n} with a failing payment (past due) and ${n} cancelled, until the end of their paid period.`),
        fr: [0, 1, 2].map((n) => `Plus ${n} dont le paiement échoue (en retard) et ${n} résilié${n < 2 ? '' : 's'}, jusqu’à la fin de leur période payée.`),
      },
    ];
    for (const c of cases) {
      assert.deepEqual([0, 1, 2].map((n) => en(c.key, c.vars(n))), c.en, `en ${c.key}`);
      assert.deepEqual([0, 1, 2].map((n) => fr(c.key, c.vars(n))), c.fr, `fr ${c.key}`);
    }
    // Counts inside longer messages.
    for (const [n, english, french] of [
      [1, 'expires in 1 minute.', 'expire dans 1 minute.'],
      [2, 'expires in 2 minutes.', 'expire dans 2 minutes.'],
    ] as const) {
      assert.ok(en('mail.magic.body', { link: 'L', minutes: n }).includes(english));
      assert.ok(fr('mail.magic.body', { link: 'L', minutes: n }).includes(french));
    }
    assert.match(en('studio.revenue.chart_desc', { count: 1, sources: 'Tips' }), /one bar per month \(1 month\)/);
    assert.match(en('studio.revenue.chart_desc', { count: 12, sources: 'Tips' }), /one bar per month \(12 months\)/);
    assert.match(fr('studio.revenue.chart_desc', { count: 1, sources: 'Tips' }), /une barre par mois \(1 mois\)/);
  });
});
