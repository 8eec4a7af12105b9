import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { catalogKeys, LOCALES, negotiateLocale, translator } from './index.js';
import { messageProblems } from './check.js';
import { en } from './messages/en.js';
import { fr } from './messages/fr.js';


describe('i18n', () => {
  it('has every key in every language, with the same arguments, valid plural branches and no empty text', () => {
    for (const locale of LOCALES) assert.deepEqual(catalogKeys(locale).sort(), Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      assert.deepEqual(messageProblems(key, { en: en[key], fr: fr[key] }), [], key);
      assert.ok(fr[key].trim().length > 0, `fr ${key} is empty`);
    }
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
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('fr');
    assert.equal(t('channel.about_heading', { name: 'Lou' }), 'À propos de Lou');
    assert.equal(t('channel.about_heading'), 'À propos de {name}');
  });

  it('follows each language’s plural rules (French `one` covers 0 and 1)', () => {
    const en = translator('en');
    const fr = translator('fr');
    const cases: [Parameters<typeof en>[0], string, string[], string[]][] = [
      ['search.count', 'count', ['0 results.', '1 result.', '2 results.'], ['0 résultat.', '1 résultat.', '2 résultats.']],
      ['error.rate_limited', 'minutes', ['wait 0 minutes', 'wait 1 minute and', 'wait 2 minutes'], ['Patientez 0 minute puis', 'Patientez 1 minute puis', 'Patientez 2 minutes']],
      ['membership.benefit_early', 'days', ['videos 0 days before', 'videos 1 day before', 'videos 2 days before'], ['vidéos 0 jour avant', 'vidéos 1 jour avant', 'vidéos 2 jours avant']],
      ['studio.tiers.early_access_n', 'days', ['Early access: 0 days', 'Early access: 1 day', 'Early access: 2 days'], ['Accès anticipé : 0 jour', 'Accès anticipé : 1 jour', 'Accès anticipé : 2 jours']],
    ];
    for (const [key, arg, english, french] of cases) {
      [0, 1, 2].forEach((n, i) => {
        assert.ok(en(key, { [arg]: n }).includes(english[i]!), `en ${key} ${n}: ${en(key, { [arg]: n })}`);
        assert.ok(fr(key, { [arg]: n }).includes(french[i]!), `fr ${key} ${n}: ${fr(key, { [arg]: n })}`);
      });
    }
    assert.equal(en('search.count', { count: 1000 }), '1,000 results.');
    assert.equal(fr('search.count', { count: 1000 }), '1\u202f000 résultats.');
    assert.equal(en('mail.magic.body', { link: 'L', minutes: 1 }).includes('expires in 1 minute.'), true);
  });

  it('leaves unknown placeholders visible next to plural arguments', () => {
    const t = translator('en');
    assert.equal(t('studio.members.churn_explain', { at_start: 2 }), 'Of the 2 members at the start of the period, {ended} had their membership end (expire) during it.');
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
