// Studio video page: live transcoding progress, polled from the server (the job row holds it).
const panel = document.querySelector<HTMLElement>('[data-job-status]');
if (panel) {
  const bar = panel.querySelector('progress')!;
  const text = panel.querySelector<HTMLElement>('[data-job-text]')!;
  const poll = async () => {
    try {
      const res = await fetch(panel.dataset.jobStatus!, { headers: { accept: 'application/json' } });
      const state = (await res.json()) as { status: string; progress: number | null; text: string };
      if (state.progress !== null) bar.value = state.progress;
      text.textContent = state.text;
      if (state.status !== 'processing') return location.reload();
    } catch {
      /* transient: try again */
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 1000);
}
