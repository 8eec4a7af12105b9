import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFollowTarget } from './follow.js';
import { checkActivityOrigins } from './origin-check.js';

const A = 'https://a.example';

describe('the origin check of incoming activities', () => {
  const cases: [string, unknown, ReturnType<typeof checkActivityOrigins>][] = [
    ['a Follow of a local channel', { id: `${A}/f/1`, type: 'Follow', actor: `${A}/u/x`, object: 'https://fanfare.test/ap/c/c' }, undefined],
    ['a Like of a local video', { id: `${A}/l/1`, type: 'Like', actor: { id: `${A}/u/x` }, object: 'https://fanfare.test/ap/videos/abcdefgh' }, undefined],
    ['an Announce of anything', { id: `${A}/s/1`, type: 'Announce', actor: `${A}/u/x`, object: 'https://b.example/n/1' }, undefined],
    ['a Create of its own note', { id: `${A}/c/1`, type: 'Create', actor: `${A}/u/x`, object: { id: `${A}/n/1`, type: 'Note' } }, undefined],
    ['an activity id on another host', { id: 'https://b.example/f/1', type: 'Follow', actor: `${A}/u/x`, object: 'x' }, 'activity_id_foreign'],
    ['a Create of a note on another host', { id: `${A}/c/1`, type: 'Create', actor: `${A}/u/x`, object: { id: 'https://b.example/n/1' } }, 'object_foreign'],
    ['an Update of an object on another host', { id: `${A}/u/1`, type: 'Update', actor: `${A}/u/x`, object: 'https://b.example/v/1' }, 'object_foreign'],
    ['a Delete of an object on another host', { id: `${A}/d/1`, type: 'Delete', actor: `${A}/u/x`, object: { type: 'Tombstone', id: 'https://b.example/v/1' } }, 'object_foreign'],
    ["an Undo of another actor's Like", { id: `${A}/x/1`, type: 'Undo', actor: `${A}/u/x`, object: { id: `${A}/l/2`, type: 'Like', actor: `${A}/u/y` } }, 'undo_of_another_actor'],
    ['an Undo of an activity on another host', { id: `${A}/x/1`, type: 'Undo', actor: `${A}/u/x`, object: 'https://b.example/l/2' }, 'object_foreign'],
    ['something that is not an activity', 'hello', undefined],
  ];
  for (const [name, activity, expected] of cases) {
    it(`${expected ? 'refuses' : 'lets through'} ${name}`, () => assert.equal(checkActivityOrigins(activity), expected));
  }
});

describe('the address of an actor to follow', () => {
  it('takes a URL or a @user@host handle, and nothing else', () => {
    assert.equal(parseFollowTarget(' https://peertube.example/video-channels/boats '), 'https://peertube.example/video-channels/boats');
    assert.equal(parseFollowTarget('boats@peertube.example'), '@boats@peertube.example');
    assert.equal(parseFollowTarget('@alice@mastodon.example'), '@alice@mastodon.example');
    for (const bad of ['', 'alice', 'ftp://x.example/a', 'javascript:alert(1)', '@a@b@c', 'https://exa mple.org']) assert.equal(parseFollowTarget(bad), undefined, bad);
  });
});
