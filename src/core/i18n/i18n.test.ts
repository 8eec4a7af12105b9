import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { catalogProblems, messageProblems } from './check.js';
import { formatMessage, isMessageKey, negotiateLocale, onMissingMessage, registeredMessageKeys, registerMessages, translator } from './index.js';
import { en } from './messages/en.js';
import { fr } from './messages/fr.js';

// Each capability's catalog is tested with the capability list in test/messages.test.ts; here, core's own.
describe('i18n', () => {
  it('has every core key in French, with the same arguments, valid plural branches and no empty text', () => {
    assert.deepEqual(catalogProblems('core', { en, fr }), []);
    for (const key of Object.keys(en)) assert.equal(registeredMessageKeys().get(key), 'core', key);
  });

  it('catches broken messages: quoting apostrophes, other arguments, plural categories the language lacks', () => {
    assert.deepEqual(messageProblems('k', { en: 'About {name}', fr: 'À propos de {name}' }), []);
    assert.match(messageProblems('k', { en: 'About {name}', fr: "À propos d'{name}" }).join(), /apostrophe/);
    assert.match(messageProblems('k', { en: 'About {name}', fr: 'À propos de {nom}' }).join(), /en uses \{name\} but fr uses \{nom\}/);
    assert.match(messageProblems('k', { en: '{n, plural, one {# day} other {# days}}', fr: '{n, plural, one {# jour} few {# jours} other {# jours}}' }).join(), /"few" is not a plural category of fr/);
    assert.match(messageProblems('k', { en: '{n, plural, one {# day}}', fr: '{n} jours' }).join(), /MISSING_OTHER_CLAUSE/);
    assert.match(messageProblems('k', { en: '{n, plural, one {# day} other {# days}', fr: '{n} jours' }).join(), /not valid ICU/);
    assert.match(messageProblems('k', { en: '{n, select, a {A} other {B}}', fr: '{n, plural, one {A} other {B}}' }).join(), /is select in en but plural in fr/);
    assert.deepEqual(messageProblems('k', { en: '{n} had', fr: '{n, plural, one {# a} other {# ont}}' }), []);
    assert.deepEqual(catalogProblems('x', { en: { a: 'A', b: 'B' }, fr: { a: ' ', c: 'C' } }), ['x: fr lacks b', 'x: fr has c, which en does not', 'x: a is empty in fr']);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('fr');
    assert.equal(t('language.switch_to', { language: 'English' }), "Passer l'interface en English");
    assert.equal(t('language.switch_to'), "Passer l'interface en {language}");
    assert.equal(formatMessage('en', 'Hello {name}, {other}', { name: 'Lou' }), 'Hello Lou, {other}');
  });

  it('follows each language’s plural rules (French `one` covers 0 and 1)', () => {
    const plural = '{count, plural, one {# result} other {# results}}';
    assert.deepEqual([0, 1, 2].map((count) => formatMessage('en', plural, { count })), ['0 results', '1 result', '2 results']);
    assert.deepEqual([0, 1, 2].map((count) => formatMessage('fr', plural, { count })), ['0 result', '1 result', '2 results']);
    assert.equal(formatMessage('en', plural, { count: 1000 }), '1,000 results');
    assert.equal(formatMessage('fr', plural, { count: 1000 }), '1\u202f000 results');
    assert.equal(formatMessage('en', '{count, plural, =0 {none} one {# result} other {# results}}', { count: 0 }), 'none');
    const en = translator('en');
    const fr = translator('fr');
    assert.deepEqual([0, 1, 2].map((minutes) => en('error.rate_limited', { minutes })), [0, 1, 2].map((n) => `Too many attempts. Please wait ${n} minute${n === 1 ? '' : 's'} and try again.`));
    assert.deepEqual([0, 1, 2].map((minutes) => fr('error.rate_limited', { minutes })), [0, 1, 2].map((n) => `Trop de tentatives. Patientez ${n} minute${n < 2 ? '' : 's'} puis réessayez.`));
  });

  it('leaves unknown placeholders visible next to plural arguments, and a message without its number as written', () => {
    assert.equal(formatMessage('en', '{count, plural, one {# file} other {# files}} in {folder}', { count: 2 }), '2 files in {folder}');
    assert.equal(formatMessage('en', '{count, plural, one {# file} other {# files}}'), '{count, plural, one {# file} other {# files}}');
  });

  it('registers catalogs once, refuses a key two catalogs define, and knows only registered keys', () => {
    const first = { en: { 'i18n_test.hello': 'Hello {name}' }, fr: { 'i18n_test.hello': 'Bonjour {name}' } };
    registerMessages('first', first);
    registerMessages('first again, the same catalog', first);
    assert.equal(registeredMessageKeys().get('i18n_test.hello'), 'first');
    assert.ok(isMessageKey('i18n_test.hello'));
    assert.equal(translator('fr')('i18n_test.hello' as never, { name: 'Lou' }), 'Bonjour Lou');
    assert.throws(
      () => registerMessages('second', { en: { 'i18n_test.hello': 'Hi' }, fr: { 'i18n_test.hello': 'Salut' } }),
      /The message key i18n_test.hello is defined by first and again by second/,
    );
    assert.equal(isMessageKey('i18n_test.nobody'), false);
  });

  it('shows a key no catalog defines as itself on a site, and lets tests make it fail', () => {
    const missing: string[] = [];
    onMissingMessage((key, locale) => missing.push(`${locale} ${key}`));
    try {
      assert.equal(translator('fr')('i18n_test.nobody' as never), 'i18n_test.nobody');
      assert.deepEqual(missing, ['fr i18n_test.nobody']);
      onMissingMessage(undefined);
      assert.equal(translator('en')('i18n_test.nobody' as never), 'i18n_test.nobody');
    } finally {
      onMissingMessage((key) => {
        throw new Error(`no catalog has ${key}`);
      });
    }
    assert.throws(() => translator('en')('i18n_test.nobody' as never), /no catalog has i18n_test.nobody/);
  });

  it('picks the best supported language from Accept-Language', () => {
    assert.equal(negotiateLocale('fr-CA,fr;q=0.9,en;q=0.8'), 'fr');
    assert.equal(negotiateLocale('de-DE,de;q=0.9,en;q=0.5,fr;q=0.4'), 'en');
    assert.equal(negotiateLocale('de, *;q=0.1'), undefined);
    assert.equal(negotiateLocale('en;q=0, fr;q=0.1'), 'fr');
    assert.equal(negotiateLocale(';;;,,q=abc'), undefined);
    assert.equal(negotiateLocale(undefined), undefined);
  });

  it('has no hard-coded French or English sentences in pages (text goes through the catalogs)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const p = path.join(dir, entry);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.tsx') && !p.endsWith('.test.tsx')) {
          // Text between tags made of 2+ words of letters is UI copy that should be a catalog entry.
          const text = readFileSync(p, 'utf8').replace(/\{[^{}]*\}/g, '');
          for (const m of text.matchAll(/>\s*([A-Za-zÀ-ÿ]+(?:\s+[A-Za-zÀ-ÿ']+)+)\s*</g)) offenders.push(`${p}: ${m[1]}`);
        }
      }
    };
    walk(path.join(import.meta.dirname, '..', '..'));
    assert.deepEqual(offenders, []);
  });
});
