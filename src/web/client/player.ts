// Watch and embed pages: adaptive playback with hls.js (or the browser's own HLS), the player's own controls
// (in place of the browser's), a quality menu, keyboard controls, chapters, seek previews from the storyboard, and resume where the fan stopped.
// Before play the page costs the poster alone: hls.js (its own chunk), the playlists and the storyboard
// load when the viewer starts the video (or points at the seek bar, for the storyboard).
import type Hls from 'hls.js';

import type { P2PPlayer } from './peers.js';

type HlsClass = typeof Hls;
type P2PHook = (HlsBase: HlsClass, root: HTMLElement) => P2PPlayer | undefined;

/** hls.js, fetched on first play. The one place that loads the playback engine: extend it here (e.g. a P2P loader). */
function loadHls(): Promise<HlsClass> {
  return import('hls.js').then((m) => m.default);
}

/**
 * peers.js (the P2P engine), when the page offers it: fetched on first play with hls.js, never before, so
 * the page before play stays the poster alone. It sets `window.fanfareP2P`.
 */
function loadPeers(root: HTMLElement): Promise<unknown> {
  const url = root.querySelector<HTMLElement>('[data-p2p-script]')?.dataset.p2pScript;
  return url ? import(/* @vite-ignore */ url).catch(() => undefined) : Promise.resolve();
}

/** The P2P switch answers before play too: the fan's choice is kept where peers.js reads it. */
function setupP2PChoice(root: HTMLElement): void {
  const part = root.querySelector<HTMLElement>('[data-p2p]');
  const toggle = part?.querySelector<HTMLInputElement>('input[data-p2p-toggle]');
  if (!part || !toggle) return;
  let choice: string | null = null;
  try {
    choice = localStorage.getItem('fanfare.p2p');
  } catch {
    // Storage refused (private mode): the site's default holds.
  }
  toggle.checked = choice === 'on' ? true : choice === 'off' ? false : (JSON.parse(part.dataset.p2p ?? '{}') as { defaultOn?: boolean }).defaultOn === true;
  toggle.addEventListener('change', () => {
    try {
      localStorage.setItem('fanfare.p2p', toggle.checked ? 'on' : 'off');
    } catch {
      // As above: the choice lasts for this page only.
    }
  });
}

interface Cue {
  start: number;
  end: number;
  url: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function parseStoryboard(vtt: string, base: string): Cue[] {
  const cues: Cue[] = [];
  const stamp = (s: string) => s.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  for (const block of vtt.split(/\r?\n\r?\n/)) {
    const m = /([\d:.]+)\s+-->\s+([\d:.]+)\s*\r?\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)/.exec(block);
    if (m) cues.push({ start: stamp(m[1]!), end: stamp(m[2]!), url: new URL(m[3]!, base).href, x: +m[4]!, y: +m[5]!, w: +m[6]!, h: +m[7]! });
  }
  return cues;
}

function setupQualityMenu(root: HTMLElement, hls: Hls, Hls: HlsClass): void {
  const select = root.querySelector<HTMLSelectElement>('select[data-quality]');
  if (!select) return;
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    const auto = select.options[0]!;
    select.replaceChildren(auto);
    hls.levels
      .map((level, index) => ({ level, index }))
      .sort((a, b) => (b.level.height || 0) - (a.level.height || 0))
      .forEach(({ level, index }) => select.add(new Option(level.height ? `${level.height}p` : `${Math.round(level.bitrate / 1000)} kb/s`, String(index))));
    select.closest<HTMLElement>('[data-quality-wrap]')!.hidden = hls.levels.length < 2;
  });
  select.addEventListener('change', () => {
    hls.currentLevel = Number(select.value);
  });
}

function setupKeyboard(root: HTMLElement, video: HTMLVideoElement): void {
  root.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(target.tagName) && event.key !== 'k') return;
    const seek = (delta: number) => (video.currentTime = Math.max(0, Math.min(video.duration || Infinity, video.currentTime + delta)));
    const actions: Record<string, () => void> = {
      ' ': () => (video.paused ? void video.play() : video.pause()),
      k: () => (video.paused ? void video.play() : video.pause()),
      ArrowLeft: () => seek(-5),
      ArrowRight: () => seek(5),
      j: () => seek(-10),
      l: () => seek(10),
      ArrowUp: () => (video.volume = Math.min(1, video.volume + 0.1)),
      ArrowDown: () => (video.volume = Math.max(0, video.volume - 0.1)),
      m: () => (video.muted = !video.muted),
      f: () => (document.fullscreenElement ? void document.exitFullscreen() : void root.requestFullscreen?.()),
      c: () => {
        const track = video.textTracks[0];
        if (track) track.mode = track.mode === 'showing' ? 'hidden' : 'showing';
      },
    };
    const action = actions[event.key];
    if (action && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      action();
    }
  });
}

function setupChapters(root: HTMLElement, video: HTMLVideoElement): void {
  for (const link of root.ownerDocument.querySelectorAll<HTMLAnchorElement>('a[data-seek]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      video.currentTime = Number(link.dataset.seek);
      void video.play();
      video.focus();
    });
  }
}

async function setupSeekPreview(root: HTMLElement, video: HTMLVideoElement): Promise<void> {
  const url = root.dataset.storyboard;
  const bar = root.querySelector<HTMLInputElement>('input[data-seekbar]');
  const preview = root.querySelector<HTMLElement>('[data-preview]');
  if (!bar || !preview) return;
  bar.hidden = false;
  video.addEventListener('loadedmetadata', () => (bar.max = String(Math.floor(video.duration))));
  video.addEventListener('timeupdate', () => {
    if (!bar.matches(':active')) bar.value = String(Math.floor(video.currentTime));
  });
  bar.addEventListener('input', () => (video.currentTime = Number(bar.value)));
  if (!url) return;
  let cues: Cue[] = [];
  let loading: Promise<void> | undefined;
  const load = () => (loading ??= fetch(url).then(async (res) => void (cues = parseStoryboard(await res.text(), new URL(url, location.href).href))).catch(() => undefined));
  bar.addEventListener('pointerenter', () => void load(), { once: true });
  video.addEventListener('play', () => void load(), { once: true });
  const show = (seconds: number, clientX: number) => {
    const cue = cues.find((c) => seconds >= c.start && seconds < c.end);
    if (!cue) return;
    preview.hidden = false;
    Object.assign(preview.style, {
      width: `${cue.w}px`,
      height: `${cue.h}px`,
      backgroundImage: `url("${cue.url}")`,
      backgroundPosition: `-${cue.x}px -${cue.y}px`,
      left: `${clientX - bar.getBoundingClientRect().left - cue.w / 2}px`,
    });
  };
  bar.addEventListener('pointermove', (event) => {
    const rect = bar.getBoundingClientRect();
    show(((event.clientX - rect.left) / rect.width) * Number(bar.max), event.clientX);
  });
  bar.addEventListener('pointerleave', () => (preview.hidden = true));
}

/** m:ss, or h:mm:ss from an hour. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/**
 * The script's own controls take over from the browser's: they are shown and the `controls` attribute goes,
 * so no browser draws a second bar (Firefox drew its seek bar under ours). Without script the attribute stays.
 * A toggle button says what it will do (`data-label-off` / `data-label-on`).
 */
function setupControls(root: HTMLElement, video: HTMLVideoElement): void {
  const find = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector);
  const play = find<HTMLButtonElement>('[data-play]');
  const mute = find<HTMLButtonElement>('[data-mute]');
  const volume = find<HTMLInputElement>('[data-volume]');
  const captions = find<HTMLButtonElement>('[data-captions]');
  const fullscreen = find<HTMLButtonElement>('[data-fullscreen]');
  const time = find<HTMLElement>('[data-time]');
  const toggle = (button: HTMLButtonElement | null, on: boolean) => {
    if (button) button.textContent = (on ? button.dataset.labelOn : button.dataset.labelOff) ?? button.textContent;
  };
  const playOrPause = () => (video.paused ? void video.play().catch(() => undefined) : video.pause());
  play?.addEventListener('click', playOrPause);
  video.addEventListener('click', playOrPause);
  for (const event of ['play', 'pause', 'ended']) video.addEventListener(event, () => toggle(play, !video.paused));

  const showTime = () => {
    if (time) time.textContent = Number.isFinite(video.duration) && video.duration > 0 ? `${clock(video.currentTime)} / ${clock(video.duration)}` : clock(video.currentTime);
  };
  for (const event of ['timeupdate', 'durationchange', 'loadedmetadata', 'seeked']) video.addEventListener(event, showTime);

  mute?.addEventListener('click', () => (video.muted = !video.muted));
  volume?.addEventListener('input', () => {
    video.volume = Number(volume.value);
    video.muted = video.volume === 0;
  });
  video.addEventListener('volumechange', () => {
    toggle(mute, video.muted);
    if (volume) volume.value = String(video.muted ? 0 : video.volume);
  });

  captions?.addEventListener('click', () => {
    const track = video.textTracks[0];
    if (track) track.mode = track.mode === 'showing' ? 'hidden' : 'showing';
  });
  video.textTracks.addEventListener?.('change', () => captions?.setAttribute('aria-pressed', String(video.textTracks[0]?.mode === 'showing')));

  // The whole player in full screen (controls included); an iPhone only lets the video itself go full screen.
  const iosFullscreen = (video as HTMLVideoElement & { webkitEnterFullscreen?: () => void }).webkitEnterFullscreen;
  const enter = document.fullscreenEnabled ? () => void root.requestFullscreen().catch(() => undefined) : iosFullscreen ? () => iosFullscreen.call(video) : undefined;
  if (fullscreen && enter) {
    fullscreen.addEventListener('click', () => (document.fullscreenElement ? void document.exitFullscreen() : enter()));
    document.addEventListener('fullscreenchange', () => toggle(fullscreen, document.fullscreenElement === root));
  }

  for (const control of root.querySelectorAll<HTMLElement>('[data-control]')) control.hidden = control === fullscreen && !enter;
  video.removeAttribute('controls');
  showTime();
}

function setupResume(root: HTMLElement, video: HTMLVideoElement): void {
  const start = Number(root.dataset.startAt ?? 0);
  if (start > 0) video.addEventListener('loadedmetadata', () => (video.currentTime = Math.min(start, video.duration - 1)), { once: true });
  const url = root.dataset.positionUrl;
  const csrf = root.dataset.csrf;
  if (!url || !csrf) return;
  let lastSent = -1;
  const send = () => {
    const position = Math.floor(video.currentTime);
    if (position === lastSent) return;
    lastSent = position;
    void fetch(url, { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ position }) }).catch(() => undefined);
  };
  setInterval(() => !video.paused && send(), 15_000);
  video.addEventListener('pause', send);
  addEventListener('pagehide', send);
}

function mediaSourceSupported(): boolean {
  const w = window as unknown as { ManagedMediaSource?: unknown; MediaSource?: { isTypeSupported?(type: string): boolean } };
  return Boolean(w.ManagedMediaSource) || Boolean(w.MediaSource?.isTypeSupported?.('video/mp4; codecs="avc1.42E01E,mp4a.40.2"'));
}

/**
 * Starts playback the first time the viewer asks for it: hls.js where Media Source Extensions exist
 * (consistent quality menu), else the browser's own HLS (iOS Safari). Until then the video has no
 * source, so nothing but the poster is fetched.
 */
function setupPlayer(root: HTMLElement): void {
  const video = root.querySelector('video')!;
  const src = root.dataset.hls!;
  const useHls = mediaSourceSupported();
  if (useHls) video.querySelector('source')?.remove();
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    if (!useHls) return;
    void Promise.all([loadHls(), loadPeers(root)]).then(([Hls]) => {
      if (!Hls.isSupported()) {
        video.src = src;
        void video.play().catch(() => undefined);
        return;
      }
      // Peer-to-peer segments when the player offers them (peers.js, loaded above).
      const p2p = (window as unknown as { fanfareP2P?: P2PHook }).fanfareP2P?.(Hls, root);
      const hls = new (p2p?.Hls ?? Hls)({ capLevelToPlayerSize: true, ...p2p?.options });
      p2p?.attach(hls);
      hls.loadSource(src);
      hls.attachMedia(video);
      setupQualityMenu(root, hls, Hls);
      (window as unknown as { fanfareHls?: Hls }).fanfareHls = hls;
      hls.once(Hls.Events.MANIFEST_PARSED, () => void video.play().catch(() => undefined));
    });
  };
  setupP2PChoice(root);
  video.addEventListener('play', start);
  // A script asking to play (keyboard shortcuts, other scripts) starts the engine too, whether or not
  // the browser fires 'play' on a video that has no source yet.
  const nativePlay = video.play.bind(video);
  video.play = () => {
    start();
    return nativePlay();
  };
  setupControls(root, video);
  setupKeyboard(root, video);
  setupChapters(root, video);
  void setupSeekPreview(root, video);
  setupResume(root, video);
}

document.querySelectorAll<HTMLElement>('[data-player]').forEach(setupPlayer);
