import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgressReporter, type ProgressValue } from './progress.js';
import { silentLog } from '../../../test/support/jobs/helpers.js';

function recorder(intervalMs: number) {
  const saved: ProgressValue[] = [];
  const reporter = createProgressReporter({
    intervalMs,
    log: silentLog,
    jobId: 1,
    async save(value) {
      saved.push(value);
    },
  });
  return { saved, reporter };
}

describe('progress reporting', () => {
  it('writes the first report at once and collapses a burst into its last value', async () => {
    const { saved, reporter } = recorder(60_000);
    for (let percent = 1; percent <= 99; percent++) void reporter.report(percent, `frame ${percent}`);
    await reporter.close();
    assert.deepEqual(saved, [
      { percent: 1, message: 'frame 1' },
      { percent: 99, message: 'frame 99' },
    ]);
  });

  it('writes again once the interval has passed', async () => {
    const { saved, reporter } = recorder(5);
    await reporter.report(10);
    await reporter.report(20);
    await reporter.report(30);
    await reporter.close();
    assert.deepEqual(
      saved.map((v) => v.percent),
      [10, 20, 30],
    );
  });

  it('keeps the previous message when a report has none', async () => {
    const { saved, reporter } = recorder(60_000);
    void reporter.report(5, 'encoding 720p');
    void reporter.report(6, 'encoding 1080p');
    void reporter.report(7);
    await reporter.close();
    assert.deepEqual(saved.at(-1), { percent: 7, message: 'encoding 1080p' });
  });

  it('rounds and clamps percentages and ignores values that are not numbers', async () => {
    const { saved, reporter } = recorder(0);
    await reporter.report(-3);
    await reporter.report(42.6);
    await reporter.report(250);
    await reporter.report(Number.NaN);
    await reporter.close();
    assert.deepEqual(
      saved.map((v) => v.percent),
      [0, 43, 100],
    );
  });

  it('ignores reports made after the job has finished', async () => {
    const { saved, reporter } = recorder(0);
    await reporter.close();
    await reporter.report(50);
    assert.deepEqual(saved, []);
  });

  it('resolves reports even when saving fails', async () => {
    const reporter = createProgressReporter({
      intervalMs: 0,
      log: silentLog,
      jobId: 1,
      save: () => Promise.reject(new Error('database unavailable')),
    });
    await reporter.report(50);
    await reporter.close();
  });
});
