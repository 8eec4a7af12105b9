import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { catalogKeys, LOCALES, negotiateLocale, translator } from './index.js';
import { en } from './messages/en.js';
import { fr } from './messages/fr.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('has every key in every language, with the same placeholders and no empty text', () => {
    for (const locale of LOCALES) assert.deepEqual(catalogKeys(locale).sort(), Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      assert.deepEqual(placeholders(fr[key]), placeholders(en[key]), `placeholders of ${key}`);
      assert.ok(fr[key].trim().length > 0, `fr ${key} is empty`);
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('fr');
    assert.equal(t('channel.about_heading', { name: 'Lou' }), 'À propos de Lou');
    assert.equal(t('channel.about_heading'), 'À propos de {name}');
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
