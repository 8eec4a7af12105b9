import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canWatch, type Viewer } from './access.js';

const now = new Date('2026-11-21T12:00:00Z');
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);

const viewers: Record<string, Viewer> = {
  anonymous: { isTeam: false, isMember: false, earlyAccessDays: 0 },
  member: { isTeam: false, isMember: true, earlyAccessDays: 0 },
  earlyMember: { isTeam: false, isMember: true, earlyAccessDays: 3 },
  team: { isTeam: true, isMember: true, earlyAccessDays: 0 },
};

const videos = {
  public: { status: 'ready', visibility: 'public', publish_at: null },
  unlisted: { status: 'ready', visibility: 'unlisted', publish_at: null },
  members: { status: 'ready', visibility: 'members', publish_at: null },
  draft: { status: 'ready', visibility: 'draft', publish_at: null },
  processing: { status: 'processing', visibility: 'public', publish_at: null },
  publicIn2Days: { status: 'ready', visibility: 'public', publish_at: inDays(2) },
  publicIn5Days: { status: 'ready', visibility: 'public', publish_at: inDays(5) },
  membersIn2Days: { status: 'ready', visibility: 'members', publish_at: inDays(2) },
} as const;

// Who sees what: each row lists the viewers allowed, in the order of `viewers`.
const expected: Record<keyof typeof videos, (keyof typeof viewers)[]> = {
  public: ['anonymous', 'member', 'earlyMember', 'team'],
  unlisted: ['anonymous', 'member', 'earlyMember', 'team'],
  members: ['member', 'earlyMember', 'team'],
  draft: ['team'],
  processing: ['team'],
  publicIn2Days: ['earlyMember', 'team'],
  publicIn5Days: ['team'],
  membersIn2Days: ['earlyMember', 'team'],
};

describe('who may watch a video', () => {
  for (const [videoName, video] of Object.entries(videos)) {
    it(`${videoName}: ${expected[videoName as keyof typeof videos].join(', ')}`, () => {
      const allowed = Object.entries(viewers)
        .filter(([, viewer]) => canWatch(video, viewer, now))
        .map(([name]) => name);
      assert.deepEqual(allowed, expected[videoName as keyof typeof videos]);
    });
  }
});
