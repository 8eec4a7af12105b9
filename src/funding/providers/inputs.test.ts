import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestFingerprint } from './inputs.js';

describe('request fingerprints', () => {
  it('ignore key order and absent fields, and see any change of value', () => {
    const a = requestFingerprint({ amount: 1, metadata: { x: '1', y: '2' }, email: undefined });
    assert.equal(a, requestFingerprint({ metadata: { y: '2', x: '1' }, amount: 1 }));
    assert.notEqual(a, requestFingerprint({ amount: 2, metadata: { x: '1', y: '2' } }));
    assert.notEqual(a, requestFingerprint({ amount: 1, metadata: { x: '1', y: '3' } }));
  });
});
