import { raw } from 'hono/html';
import { Layout, type PageEnv } from '../../core/http/layout.js';
import type { WatchOffer } from '../offers.js';
import type { VideoWithChannel } from '../queries.js';
import { formatTimestamp } from '../schema.js';

export interface PaywallPageProps {
  env: PageEnv;
  video: VideoWithChannel;
  /** The cheapest offer that opens the video now. */
  offer: WatchOffer;
  /** The poster, when the creator chose to show it; otherwise a blurred placeholder. */
  posterUrl?: string;
  descriptionHtml: string;
  now: Date;
}

/**
 * What a fan who may not watch a members-only (or early-access) video sees at its link instead of a
 * 404: what the video is, what opens it, and the way back in for members who are not logged in. The
 * media files stay refused; this page holds no player.
 */
export function PaywallPage({ env, video, offer, posterUrl, descriptionHtml, now }: PaywallPageProps) {
  const { t } = env;
  const back = `/v/${video.short_id}`;
  const join = `${offer.joinUrl}?back=${encodeURIComponent(back)}`;
  const publicOn = video.publish_at && video.publish_at > now ? video.publish_at : undefined;
  const date = (d: Date) => new Intl.DateTimeFormat(env.locale, { dateStyle: 'long', timeStyle: 'short' }).format(d);
  return (
    <Layout env={env} title={video.title} head={<meta name="robots" content="noindex" />}>
      <article class="watch paywall" aria-labelledby="video-title">
        <div class={`paywall-poster${posterUrl ? '' : ' blurred'}`}>
          {posterUrl ? <img src={posterUrl} alt="" width={640} height={360} /> : <span class="thumb-placeholder" />}
          <span class="paywall-lock" aria-hidden="true">
            🔒
          </span>
        </div>
        <h1 id="video-title" lang={video.language ?? undefined}>
          {video.title}
        </h1>
        <p class="meta">
          <a href={`/c/${video.channel_handle}`}>{video.channel_name}</a>
          {video.duration_seconds ? ` · ${formatTimestamp(video.duration_seconds)}` : ''}
        </p>
        <section class="paywall-offer" aria-labelledby="paywall-heading">
          <h2 id="paywall-heading">{publicOn ? t('video.paywall_early_heading') : t('video.paywall_heading')}</h2>
          {publicOn && (
            <p>
              {t(video.visibility === 'members' ? 'video.paywall_members_on' : 'video.paywall_public_on', { date: date(publicOn) })}
            </p>
          )}
          <p>
            <a class="button" href={join}>
              {t('video.paywall_join', { price: offer.priceLabel })}
            </a>{' '}
            <span class="hint">{t('video.paywall_tier', { tier: offer.name })}</span>
          </p>
          {env.user ? (
            <p class="hint">{t('video.paywall_signed_in', { email: env.user.email })}</p>
          ) : (
            <p>
              {t('video.paywall_member_login')} <a href={`/login?back=${encodeURIComponent(back)}`}>{t('video.paywall_login')}</a>
            </p>
          )}
        </section>
        <div class="description" lang={video.language ?? undefined}>
          {raw(descriptionHtml)}
        </div>
      </article>
    </Layout>
  );
}
