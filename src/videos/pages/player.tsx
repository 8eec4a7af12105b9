import { assetPath } from '../../core/http/asset-paths.js';
import type { Child } from 'hono/jsx';
import type { PageEnv } from '../../core/http/layout.js';
import type { CaptionRow } from '../queries.js';

export interface PlayerProps {
  env: PageEnv;
  masterUrl: string;
  posterUrl?: string;
  storyboardUrl?: string;
  captions: (CaptionRow & { url: string })[];
  /** Where a signed-in fan stopped last time. */
  startAt?: number;
  /** Set for signed-in fans: where the player reports the position. */
  positionUrl?: string;
  /** Where the page reports a view (after 30 s of playback; see videos/views.ts). */
  viewUrl?: string;
  title: string;
  /** What other capabilities add inside the player (`videos.player-addons`: the P2P switch), before its script. */
  addons?: Child;
}

/**
 * The player: a plain <video> with native controls, which the bundled script upgrades with hls.js and its
 * own controls (play, time, seek bar with previews, sound, captions, quality, full screen, shortcuts): it
 * then removes the `controls` attribute, so no browser draws a second bar (Firefox showed both seek bars).
 * Without script the native controls stay, and browsers with native HLS (Safari) play the video.
 */
export function Player(props: PlayerProps) {
  const { t } = props.env;
  return (
    <div
      class="player"
      data-player
      data-hls={props.masterUrl}
      data-storyboard={props.storyboardUrl}
      data-start-at={props.startAt ? String(Math.floor(props.startAt)) : undefined}
      data-position-url={props.positionUrl}
      data-view-url={props.viewUrl}
      data-csrf={props.positionUrl || props.viewUrl ? props.env.csrfToken : undefined}
      role="region"
      aria-label={t('video.player_label', { title: props.title })}
      aria-keyshortcuts="k j l m f c ArrowLeft ArrowRight"
    >
      <video controls playsinline preload="none" poster={props.posterUrl}>
        <source src={props.masterUrl} type="application/vnd.apple.mpegurl" />
        {props.captions.map((c) => (
          <track kind="subtitles" src={c.url} srclang={c.language} label={c.label} />
        ))}
        <p>{t('video.no_video_support')}</p>
      </video>
      {/* The script's controls: hidden until it shows them and takes the native ones away. */}
      <div class="player-bar">
        <button type="button" class="player-button" data-control data-play hidden data-label-on={t('video.pause')} data-label-off={t('video.play')}>
          {t('video.play')}
        </button>
        <span class="player-time" data-control data-time hidden>
          0:00
        </span>
        <div class="seek-wrap">
          <input type="range" data-seekbar hidden min="0" step="1" value="0" aria-label={t('video.seek')} />
          <div class="seek-preview" data-preview hidden aria-hidden="true" />
        </div>
        <button type="button" class="player-button" data-control data-mute hidden data-label-on={t('video.unmute')} data-label-off={t('video.mute')}>
          {t('video.mute')}
        </button>
        <input type="range" class="player-volume" data-control data-volume hidden min="0" max="1" step="0.05" value="1" aria-label={t('video.volume')} />
        {props.captions.length > 0 && (
          <button type="button" class="player-button" data-control data-captions hidden aria-pressed="false">
            {t('video.captions')}
          </button>
        )}
        <label data-quality-wrap hidden>
          {t('video.quality')}{' '}
          <select data-quality>
            <option value="-1">{t('video.quality_auto')}</option>
          </select>
        </label>
        <button type="button" class="player-button" data-control data-fullscreen hidden data-label-on={t('video.exit_fullscreen')} data-label-off={t('video.fullscreen')}>
          {t('video.fullscreen')}
        </button>
      </div>
      <p class="hint keyboard-hint">{t('video.keyboard_hint')}</p>
      {props.addons}
      <script type="module" src={assetPath('player.js')} />
    </div>
  );
}
