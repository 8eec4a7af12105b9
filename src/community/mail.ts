/**
 * The community's e-mails, in the recipient's language, each with a text and an HTML part. Every e-mail
 * but the confirmation carries the one-click unsubscribe of RFC 8058 (`List-Unsubscribe` with an https
 * link, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`) and a stable Message-ID.
 */
import type { MailMessage } from '../core/mail/index.js';
import { translator, type Locale } from '../core/i18n/index.js';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(lang: Locale, inner: string, footer: string): string {
  return `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;max-width:40em;margin:auto">${inner}<hr><p style="font-size:small;color:#555">${footer}</p></body></html>`;
}

/** The address of a site page, absolute. */
export type SiteUrl = (path: string) => string;

/** The double opt-in e-mail: nothing else is sent to the address until its link is followed. */
export function confirmFollowMail(o: { to: string; language: Locale; channelName: string; confirmUrl: string }): MailMessage {
  const t = translator(o.language);
  const subject = t('community.mail_confirm_subject', { channel: o.channelName });
  const intro = t('community.mail_confirm_intro', { channel: o.channelName });
  const ignore = t('community.mail_confirm_ignore');
  return {
    to: o.to,
    subject,
    text: `${intro}\n\n${o.confirmUrl}\n\n${ignore}\n`,
    html: page(o.language, `<p>${escape(intro)}</p><p><a href="${escape(o.confirmUrl)}">${escape(t('community.mail_confirm_button'))}</a></p>`, escape(ignore)),
  };
}

/** What a mailing is about, ready to be put in a message. */
export type MailingContent =
  | { kind: 'video'; channelName: string; title: string; url: string; posterUrl: string | undefined }
  | { kind: 'post'; channelName: string; title: string; url: string; text: string; html: string }
  | { kind: 'campaign'; channelName: string; title: string; url: string };

/** One recipient's copy of a mailing. */
export function mailingMessage(o: { to: string; language: Locale; content: MailingContent; unsubscribeUrl: string; messageId: string }): MailMessage {
  const t = translator(o.language);
  const c = o.content;
  const footerText = t('community.mail_footer', { channel: c.channelName });
  const unsubscribe = t('community.mail_unsubscribe');
  const footerHtml = `${escape(footerText)} <a href="${escape(o.unsubscribeUrl)}">${escape(unsubscribe)}</a>`;
  const headers = { 'List-Unsubscribe': `<${o.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  if (c.kind === 'video') {
    const subject = t('community.mail_video_subject', { channel: c.channelName, title: c.title });
    const poster = c.posterUrl ? `<p><a href="${escape(c.url)}"><img src="${escape(c.posterUrl)}" alt="" width="480"></a></p>` : '';
    return {
      to: o.to,
      subject,
      text: `${subject}\n\n${c.url}\n\n-- \n${footerText}\n${unsubscribe}: ${o.unsubscribeUrl}\n`,
      html: page(o.language, `<h1>${escape(c.title)}</h1>${poster}<p><a href="${escape(c.url)}">${escape(t('community.mail_video_watch'))}</a></p>`, footerHtml),
      headers,
      messageId: o.messageId,
    };
  }
  if (c.kind === 'campaign') {
    const subject = t('community.mail_campaign_subject', { channel: c.channelName, title: c.title });
    return {
      to: o.to,
      subject,
      text: `${subject}\n\n${c.url}\n\n-- \n${footerText}\n${unsubscribe}: ${o.unsubscribeUrl}\n`,
      html: page(o.language, `<h1>${escape(c.title)}</h1><p><a href="${escape(c.url)}">${escape(t('community.mail_campaign_read'))}</a></p>`, footerHtml),
      headers,
      messageId: o.messageId,
    };
  }
  return {
    to: o.to,
    subject: `${c.title} · ${c.channelName}`,
    text: `${c.title}\n\n${c.text}\n\n${c.url}\n\n-- \n${footerText}\n${unsubscribe}: ${o.unsubscribeUrl}\n`,
    html: page(o.language, `<h1>${escape(c.title)}</h1>${c.html}<p><a href="${escape(c.url)}">${escape(t('community.mail_post_read'))}</a></p>`, footerHtml),
    headers,
    messageId: o.messageId,
  };
}
