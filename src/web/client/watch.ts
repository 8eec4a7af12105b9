// The watch page's small extras, loaded with the page (so kept small; hls.js is the player's): the view
// report, and the share menu (copy buttons, the link at the current time, the fan's own fediverse server).

// A view is reported once, after 30 s of actual playback (75 % of a video shorter than 40 s); the server
// counts it once per viewer per hour, storing no address and setting no cookie.
const player = document.querySelector<HTMLElement>('[data-player][data-view-url]');
const played = player?.querySelector('video');
if (player && played) {
  let sent = false;
  played.addEventListener('timeupdate', () => {
    if (sent) return;
    // What the browser says was actually played (each part once, however often it was watched or skipped to).
    let seconds = 0;
    for (let i = 0; i < played.played.length; i++) seconds += played.played.end(i) - played.played.start(i);
    const needed = Number.isFinite(played.duration) && played.duration < 40 ? played.duration * 0.75 : 30;
    if (seconds < needed) return;
    sent = true;
    void fetch(player.dataset.viewUrl!, { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json', 'x-csrf-token': player.dataset.csrf ?? '' }, body: '{}' }).catch(() => undefined);
  });
}

const share = document.querySelector<HTMLElement>('[data-share]');
if (share) {
  const status = share.querySelector<HTMLElement>('[data-copied-text]');
  for (const button of share.querySelectorAll<HTMLButtonElement>('[data-copy]')) {
    const field = document.getElementById(button.dataset.copy!) as HTMLInputElement | HTMLTextAreaElement | null;
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = status.dataset.copiedText ?? '';
    });
  }

  const link = share.querySelector<HTMLInputElement>('[data-share-link]')!;
  const at = share.querySelector<HTMLInputElement>('[data-share-at]')!;
  const atWrap = share.querySelector<HTMLElement>('[data-share-at-wrap]')!;
  const timeText = share.querySelector<HTMLElement>('[data-share-time]')!;
  const video = document.querySelector<HTMLVideoElement>('[data-player] video');
  const base = share.dataset.url!;
  const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  const refresh = () => {
    const seconds = Math.floor(video?.currentTime ?? 0);
    timeText.textContent = clock(seconds);
    link.value = at.checked && seconds > 0 ? `${base}?t=${seconds}` : base;
  };
  if (video) {
    atWrap.hidden = false;
    at.addEventListener('change', refresh);
    share.closest('details')?.addEventListener('toggle', refresh);
    video.addEventListener('pause', refresh);
  }

  const form = share.querySelector<HTMLFormElement>('[data-share-fediverse]');
  const instance = form?.querySelector<HTMLInputElement>('input[name="instance"]');
  if (form && instance) {
    instance.value = localStorage.getItem('fanfare-fediverse-server') ?? '';
    form.addEventListener('submit', (event) => {
      const host = instance.value.trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '').toLowerCase();
      if (!/^[a-z0-9.-]+\.[a-z]{2,}(:\d{1,5})?$/.test(host)) return; // the server's page explains
      event.preventDefault();
      localStorage.setItem('fanfare-fediverse-server', host);
      const text = (form.querySelector<HTMLInputElement>('input[name="text"]')?.value ?? '').replace(base, link.value);
      window.open(`https://${host}/share?text=${encodeURIComponent(text)}`, '_blank', 'noopener');
    });
  }
}
