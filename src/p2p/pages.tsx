import { CsrfField, type PageEnv } from '../core/http/layout.js';
import { humanSize } from '../downloads/index.js';
import { StudioLayout } from '../studio/index.js';

export interface VideoShare {
  title: string;
  shortId: string;
  peer_bytes: number;
  http_bytes: number;
}

/** The share of a video's segment bytes that came from peers, as a whole percent (0 when nothing was reported). */
export function peerPercent(peerBytes: number, httpBytes: number): number {
  const total = peerBytes + httpBytes;
  return total === 0 ? 0 : Math.round((peerBytes / total) * 100);
}

/** The Studio's P2P page: the fans' default, and per video the bytes served by peers and by the site. */
export function P2PStudioPage({ env, enabledByDefault, videos, saved }: { env: PageEnv; enabledByDefault: boolean; videos: VideoShare[]; saved: boolean }) {
  const { t } = env;
  return (
    <StudioLayout env={env} title={t('p2p.studio_title')}>
      <h1>{t('p2p.studio_title')}</h1>
      <p>{t('p2p.studio_intro')}</p>
      {saved ? <p role="status" class="notice">{t('p2p.saved')}</p> : null}
      <form method="post" action="/studio/p2p">
        <CsrfField env={env} />
        <fieldset>
          <legend>{t('p2p.default_legend')}</legend>
          <label>
            <input type="radio" name="default" value="on" checked={enabledByDefault} /> {t('p2p.default_on')}
          </label>
          <label>
            <input type="radio" name="default" value="off" checked={!enabledByDefault} /> {t('p2p.default_off')}
          </label>
        </fieldset>
        <button type="submit">{t('p2p.save')}</button>
      </form>
      <h2>{t('p2p.shares_title')}</h2>
      {videos.length === 0 ? (
        <p>{t('p2p.shares_none')}</p>
      ) : (
        <table class="p2p-shares">
          <thead>
            <tr>
              <th scope="col">{t('p2p.col_video')}</th>
              <th scope="col">{t('p2p.col_peers')}</th>
              <th scope="col">{t('p2p.col_site')}</th>
              <th scope="col">{t('p2p.col_share')}</th>
            </tr>
          </thead>
          <tbody>
            {videos.map((v) => (
              <tr data-video={v.shortId}>
                <td>
                  <a href={`/v/${v.shortId}`}>{v.title}</a>
                </td>
                <td>{humanSize(v.peer_bytes, env.locale)}</td>
                <td>{humanSize(v.http_bytes, env.locale)}</td>
                <td data-peer-share>{t('p2p.share', { percent: peerPercent(v.peer_bytes, v.http_bytes) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StudioLayout>
  );
}
