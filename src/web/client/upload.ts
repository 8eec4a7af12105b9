// Studio upload page: resumable uploads with tus. A dropped connection retries; a closed tab resumes
// from where the server stopped when the same file is chosen again (the fingerprint is in localStorage).
import * as tus from 'tus-js-client';

const form = document.querySelector<HTMLFormElement>('form[data-upload]')!;
const input = form.querySelector<HTMLInputElement>('input[type=file]')!;
const bar = document.querySelector<HTMLProgressElement>('progress[data-upload-progress]')!;
const status = document.querySelector<HTMLElement>('[data-upload-status]')!;
const messages = JSON.parse(form.dataset.messages!) as Record<'uploading' | 'resuming' | 'processing' | 'failed' | 'retrying', string>;

function say(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function serverMessage(error: Error): string {
  const body = (error as tus.DetailedError).originalResponse?.getBody();
  try {
    return (JSON.parse(body ?? '') as { error: { message: string } }).error.message;
  } catch {
    return `${messages.failed} ${error.message.split('\n')[0]}`;
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const file = input.files?.[0];
  if (!file) return input.focus();
  form.querySelector('button')!.disabled = true;
  bar.hidden = false;
  const upload = new tus.Upload(file, {
    endpoint: form.action,
    chunkSize: 16 * 1024 * 1024,
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    removeFingerprintOnSuccess: true,
    // Video uploads name their channel; bundle files their bundle.
    metadata: { filename: file.name, filetype: file.type || 'application/octet-stream', ...(form.dataset.channel ? { channel: form.dataset.channel } : {}), ...(form.dataset.bundle ? { bundle: form.dataset.bundle } : {}) },
    headers: { 'X-CSRF-Token': form.dataset.csrf! },
    onProgress(sent, total) {
      bar.max = total;
      bar.value = sent;
      say(messages.uploading.replace('{percent}', String(Math.floor((sent / total) * 100))));
    },
    onShouldRetry(error) {
      const status = (error as tus.DetailedError).originalResponse?.getStatus() ?? 0;
      if (status >= 400 && status < 500 && status !== 409 && status !== 423) return false;
      say(messages.retrying);
      return true;
    },
    onError(error) {
      say(serverMessage(error), true);
      form.querySelector('button')!.disabled = false;
    },
    onSuccess(payload) {
      say(messages.processing);
      const body = payload.lastResponse.getBody();
      const next = body ? (JSON.parse(body) as { editUrl?: string }).editUrl : undefined;
      if (next) location.assign(next);
    },
  });
  void upload.findPreviousUploads().then((previous) => {
    if (previous[0]) {
      say(messages.resuming);
      upload.resumeFromPreviousUpload(previous[0]);
    }
    upload.start();
  });
});
