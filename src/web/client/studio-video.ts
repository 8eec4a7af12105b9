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
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
}

// Typed details survive the thumbnail and captions forms (separate forms, each reloads the page): what is
// typed and not saved yet is kept in this tab's sessionStorage, put back after the reload, and the page says
// it is NOT saved yet. Saving the details (or typing them back to what is saved) forgets the draft.
type DetailField = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
const details = document.querySelector<HTMLFormElement>('form[data-details]');
if (details) {
  const key = `fanfare-draft:${details.getAttribute('action')}`;
  const fields = () => [...details.elements].filter((e): e is DetailField => (e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement || e instanceof HTMLSelectElement) && !!e.name && e.name !== '_csrf');
  const snapshot = () => {
    const data: Record<string, string | boolean> = {};
    for (const f of fields()) {
      if (f instanceof HTMLInputElement && f.type === 'checkbox') data[f.name] = f.checked;
      else if (f instanceof HTMLInputElement && f.type === 'radio') {
        if (f.checked) data[f.name] = f.value;
      } else data[f.name] = f.value;
    }
    return JSON.stringify(data);
  };
  const rendered = snapshot();
  const draft = sessionStorage.getItem(key);
  if (draft && draft !== rendered) {
    const data = JSON.parse(draft) as Record<string, string | boolean>;
    for (const f of fields()) {
      if (!(f.name in data)) continue;
      if (f instanceof HTMLInputElement && f.type === 'checkbox') f.checked = data[f.name] === true;
      else if (f instanceof HTMLInputElement && f.type === 'radio') f.checked = data[f.name] === f.value;
      else f.value = String(data[f.name]);
    }
    const notice = document.querySelector<HTMLElement>('[data-draft-notice]');
    if (notice) notice.hidden = false;
  }
  const remember = () => {
    const now = snapshot();
    if (now === rendered) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, now);
  };
  details.addEventListener('input', remember);
  details.addEventListener('change', remember);
  details.addEventListener('submit', () => sessionStorage.removeItem(key));
}
