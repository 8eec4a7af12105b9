import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildStoryboardVtt, planStoryboard } from './storyboard.js';

describe('the storyboard', () => {
  it('takes a 160px-wide thumbnail every 2 s, ten to a row', () => {
    const plan = planStoryboard(60, 1920, 1080);
    assert.deepEqual(plan, { intervalSeconds: 2, count: 30, columns: 10, rows: 3, thumbWidth: 160, thumbHeight: 90 });
  });

  it('stretches the interval for long videos so the sprite stays bounded', () => {
    const plan = planStoryboard(2 * 3600, 1920, 1080);
    assert.equal(plan.intervalSeconds, 24);
    assert.ok(plan.count <= 300);
  });

  it('keeps thumbnail heights even for portrait and odd shapes', () => {
    assert.equal(planStoryboard(10, 1080, 1920).thumbHeight, 284);
    assert.equal(planStoryboard(10, 1000, 563).thumbHeight % 2, 0);
  });

  it('uses as many columns as thumbnails for short clips', () => {
    const plan = planStoryboard(3, 640, 360);
    assert.equal(plan.columns, 2);
    assert.equal(plan.rows, 1);
  });

  it('maps each interval to its cell of the sprite, the last ending with the video', () => {
    const plan = planStoryboard(25, 1920, 1080);
    const vtt = buildStoryboardVtt(plan, 25, 'storyboard.jpg');
    const cues = vtt.trim().split('\n\n').slice(1);
    assert.ok(vtt.startsWith('WEBVTT\n\n'));
    assert.equal(cues.length, 13);
    assert.equal(cues[0], '00:00:00.000 --> 00:00:02.000\nstoryboard.jpg#xywh=0,0,160,90');
    assert.equal(cues[10], '00:00:20.000 --> 00:00:22.000\nstoryboard.jpg#xywh=0,90,160,90');
    assert.equal(cues[12], '00:00:24.000 --> 00:00:25.000\nstoryboard.jpg#xywh=320,90,160,90');
  });

  it('writes hours in cue times', () => {
    const plan = planStoryboard(3 * 3600, 1920, 1080);
    const vtt = buildStoryboardVtt(plan, 3 * 3600, 's.jpg');
    assert.match(vtt, /02:59:24\.000 --> 03:00:00\.000/);
  });
});
