import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { safeRedirectPath } from './context.js';
import { hasControlCharacters, jsonHasControlCharacters, multiLineText, oneLineText, withoutControlCharacters } from './text.js';

describe('text entering the site', () => {
  it('refuses NUL and the other C0 and C1 controls in every kind of text', () => {
    for (const bad of ['\u0000', '\u0007', '\u000b', '\u000c', '\u001b[31m', '\u007f', '\u0085', '\u009f']) {
      assert.ok(hasControlCharacters(`a${bad}b`, 'text'), JSON.stringify(bad));
      assert.ok(hasControlCharacters(`a${bad}b`, 'line'), JSON.stringify(bad));
    }
  });

  it('keeps tabs and newlines in multi-line text and refuses them in one-line text', () => {
    for (const legit of ['\t', '\n', '\r\n']) {
      assert.ok(!hasControlCharacters(`a${legit}b`, 'text'));
      assert.ok(hasControlCharacters(`a${legit}b`, 'line'));
    }
    assert.ok(!hasControlCharacters('Noé joue 🎬 — ¡olé!', 'line'));
  });

  it('gives zod schemas that refuse control characters with the translated message key', () => {
    const schema = z.object({ name: oneLineText().trim().min(1), body: multiLineText() });
    const refused = schema.safeParse({ name: 'a\u0000b', body: 'x\u0000' });
    assert.equal(refused.success, false);
    assert.deepEqual(refused.error!.issues.map((i) => [i.path[0], i.message]), [['name', 'error.control_characters'], ['body', 'error.control_characters']]);
    assert.equal(schema.safeParse({ name: 'a\tb', body: 'x' }).success, false);
    assert.deepEqual(schema.parse({ name: ' Camille ', body: 'line 1\n\tline 2' }), { name: 'Camille', body: 'line 1\n\tline 2' });
  });

  it('cleans a refused value for showing it again', () => {
    assert.equal(withoutControlCharacters('a\u0000b\nc\u0007', 'text'), 'ab\nc');
    assert.equal(withoutControlCharacters('a\u0000b\nc', 'line'), 'abc');
  });

  it('finds control characters anywhere in a JSON body, keys included', () => {
    assert.ok(jsonHasControlCharacters({ a: [{ b: 'x\u0000' }] }));
    assert.ok(jsonHasControlCharacters({ 'k\u0000': 1 }));
    assert.ok(!jsonHasControlCharacters({ a: ['multi\nline'], n: 1, z: null }));
  });
});

describe('safeRedirectPath', () => {
  it('refuses a path a browser would turn into another site once it drops tabs and newlines', () => {
    for (const bad of ['/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '/\u000b/evil.example', '/a\u0000b', '//evil.example', '/\\evil.example', 'https://evil.example']) {
      assert.equal(safeRedirectPath(bad, '/'), '/', JSON.stringify(bad));
    }
    assert.equal(safeRedirectPath('/c/camille?tab=about', '/'), '/c/camille?tab=about');
  });
});
