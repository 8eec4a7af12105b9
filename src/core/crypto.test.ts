import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomToken } from './crypto.js';

describe('randomToken', () => {
  it('hands out each random byte once, across refills of its pool, at every size asked', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const token = randomToken();
      assert.equal(Buffer.from(token, 'base64url').length, 32);
      seen.add(token);
    }
    assert.equal(seen.size, 2000, 'no token repeats, though the pool refilled several times');
    assert.equal(Buffer.from(randomToken(6), 'base64url').length, 6);
    assert.equal(Buffer.from(randomToken(4096), 'base64url').length, 4096, 'a large request bypasses the pool');
  });
});
