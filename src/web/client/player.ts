// Watch and embed pages: adaptive playback with hls.js (or the browser's own HLS), a quality menu,
// keyboard controls, chapters, seek previews from the storyboard, and resume where the fan stopped.
import Hls from 'hls.js';
import type { P2PPlayer } from './peers.js';

type P2PHook = (HlsBase: typeof Hls, root: HTMLElement) => P2PPlayer | undefined;

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

function setupQualityMenu(root: HTMLElement, hls: Hls): void {
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
  const cues = parseStoryboard(await (await fetch(url)).text(), new URL(url, location.href).href);
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

function setupPlayer(root: HTMLElement): void {
  const video = root.querySelector('video')!;
  const src = root.dataset.hls!;
  // Prefer hls.js where Media Source Extensions exist (consistent quality menu); else native HLS (iOS Safari).
  if (Hls.isSupported()) {
    // Peer-to-peer segments when the page loaded peers.js (it runs first) and the player offers them.
    const p2p = (window as unknown as { fanfareP2P?: P2PHook }).fanfareP2P?.(Hls, root);
    const hls = new (p2p?.Hls ?? Hls)({ capLevelToPlayerSize: true, ...p2p?.options });
    p2p?.attach(hls);
    hls.loadSource(src);
    hls.attachMedia(video);
    setupQualityMenu(root, hls);
    (window as unknown as { fanfareHls?: Hls }).fanfareHls = hls;
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = src;
  }
  setupKeyboard(root, video);
  setupChapters(root, video);
  void setupSeekPreview(root, video);
  setupResume(root, video);
}

document.querySelectorAll<HTMLElement>('[data-player]').forEach(setupPlayer);
