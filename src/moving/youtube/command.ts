/** `fanfare import-youtube ARCHIVE --channel HANDLE [--json]`: see takeout.ts. */
import { findChannelByHandle } from '../../channels/index.js';
import type { AppDeps } from '../../core/deps.js';
import { TakeoutError } from './archive.js';
import { importYouTubeTakeout, type TakeoutReport } from './takeout.js';

export const IMPORT_YOUTUBE_USAGE = `       fanfare import-youtube ARCHIVE --channel HANDLE [--json]
Imports the videos of a YouTube Takeout archive (the .zip, or the folder it was unpacked into) into the
channel: titles, descriptions, tags, privacy and publication dates; each video is transcoded by the
workers as an upload is. All or nothing; videos imported before are skipped.`;

/** Runs the import for the CLI; prints the report (or the reason nothing was imported). Returns the exit code. */
export async function importYouTubeCommand(deps: AppDeps, o: { file: string; handle: string; json: boolean }): Promise<number> {
  const channel = await findChannelByHandle(deps.db, o.handle.toLowerCase());
  if (!channel) {
    console.error(`no channel with the handle ${o.handle}`);
    return 2;
  }
  const [owner] = await deps.db.query<{ id: string }>("SELECT id FROM users WHERE site_role = 'owner' LIMIT 1");
  if (!owner) {
    console.error('the site is not set up yet (fanfare init)');
    return 2;
  }
  let report: TakeoutReport;
  try {
    report = await importYouTubeTakeout(deps, { file: o.file, channelId: channel.id, userId: owner.id });
  } catch (error) {
    if (error instanceof TakeoutError) {
      console.error(`Nothing was imported: ${error.problem.replace(/_/g, ' ')} (${error.detail})`);
      return 1;
    }
    throw error;
  }
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const v of report.imported) console.log(`imported ${v.youtubeId} → /v/${v.shortId}  ${v.title}`);
    console.log(`${report.imported.length} imported, ${report.skipped.length} already there; transcoding runs in the workers.`);
  }
  return 0;
}
