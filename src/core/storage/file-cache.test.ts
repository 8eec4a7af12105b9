import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFileCache } from './file-cache.js';

const bytes = (n: number) => Buffer.alloc(n, 1);

describe('file cache', () => {
  it('returns bytes only under the entity tag they were stored with', () => {
    const cache = createFileCache({ maxBytes: 100, maxFileBytes: 50 });
    cache.set('/m/a.m3u8', '"1"', bytes(10));
    assert.equal(cache.get('/m/a.m3u8', '"1"')?.length, 10);
    assert.equal(cache.get('/m/a.m3u8', '"2"'), undefined, 'a rewritten file is a miss');
  });

  it('evicts the least recently used files beyond its budget', () => {
    const cache = createFileCache({ maxBytes: 100, maxFileBytes: 50 });
    cache.set('a', 't', bytes(40));
    cache.set('b', 't', bytes(40));
    cache.get('a', 't');
    cache.set('c', 't', bytes(40));
    assert.ok(cache.get('a', 't'), 'recently read, kept');
    assert.equal(cache.get('b', 't'), undefined, 'oldest, evicted');
    assert.ok(cache.get('c', 't'));
  });

  it('never keeps a file larger than its per-file limit, and keeps nothing once resized to 0', () => {
    const cache = createFileCache({ maxBytes: 1000, maxFileBytes: 50 });
    cache.set('big', 't', bytes(51));
    assert.equal(cache.get('big', 't'), undefined);
    cache.set('small', 't', bytes(10));
    cache.resize(0);
    assert.equal(cache.get('small', 't'), undefined);
    cache.set('small', 't', bytes(10));
    assert.equal(cache.get('small', 't'), undefined);
  });

  it('replaces the older version of a file instead of counting both', () => {
    const cache = createFileCache({ maxBytes: 60, maxFileBytes: 60 });
    cache.set('p', '"1"', bytes(40));
    cache.set('p', '"2"', bytes(40));
    cache.set('q', 't', bytes(20));
    assert.ok(cache.get('p', '"2"'));
    assert.ok(cache.get('q', 't'));
  });
});
