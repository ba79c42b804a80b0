/**
 * Resumable uploads (tus, through tus-js-client) to /api/v1/media/uploads, and the server-sent
 * processing progress of an asset. The session rides in the httpOnly cookie; every tus request
 * echoes the CSRF cookie, as every other unsafe request does.
 */
import { Upload } from 'tus-js-client';
import { csrfToken, refreshSession } from './session-fetch';

const UPLOADS = '/api/v1/media/uploads';

export interface UploadHandle {
  abort: () => void;
}

export interface UploadCallbacks {
  onProgress: (sent: number, total: number) => void;
  onDone: (assetId: string, duplicate: boolean) => void;
  onError: (message: string) => void;
}

export function startUpload(file: File, cb: UploadCallbacks): UploadHandle {
  let refreshed = false;
  const upload = new Upload(file, {
    endpoint: UPLOADS,
    chunkSize: 8 * 1024 * 1024,
    retryDelays: [0, 1_000, 3_000, 5_000],
    metadata: { filename: file.name, filetype: file.type },
    // Fresh per request: a refresh mid-upload rotates the CSRF cookie.
    onBeforeRequest: (req) => {
      req.setHeader('x-csrf-token', csrfToken() ?? '');
      const xhr = req.getUnderlyingObject() as XMLHttpRequest;
      xhr.withCredentials = true;
    },
    // An expired access cookie: refresh the session once, then tus retries the request.
    onShouldRetry: (err, _attempt, options) => {
      const status = err.originalResponse?.getStatus();
      if (status === 401 && !refreshed) {
        refreshed = true;
        void refreshSession();
        return true;
      }
      return status === undefined || status === 409 || status === 423 || status >= 500 ? Boolean(options.retryDelays) : false;
    },
    onProgress: cb.onProgress,
    onAfterResponse: (_req, res) => {
      const id = res.getHeader('Guddu-Asset-Id');
      if (id) cb.onDone(id, res.getHeader('Guddu-Duplicate') === 'true');
    },
    onError: (err) => cb.onError(problemOf(err)),
  });
  upload.start();
  return { abort: () => void upload.abort(true) };
}

function problemOf(err: Error): string {
  const body = (err as { originalResponse?: { getBody: () => string } }).originalResponse?.getBody();
  try {
    const p = JSON.parse(body ?? '') as { detail?: string };
    if (p.detail) return p.detail;
  } catch {
    // not problem+json: the client's own message
  }
  return err.message;
}

export interface ProcessingState {
  status: string;
  stage: string;
  progress: number;
  failure: string | null;
}

/** Processing stage and percentage as the server streams them; ends with the final state. */
export function watchProcessing(assetId: string, onState: (s: ProcessingState) => void): () => void {
  const source = new EventSource(`/api/v1/media/assets/${encodeURIComponent(assetId)}/progress`, { withCredentials: true });
  source.addEventListener('progress', (e) => {
    const s = JSON.parse((e as MessageEvent<string>).data) as ProcessingState;
    onState(s);
    if (s.status !== 'processing') source.close();
  });
  source.onerror = () => source.close();
  return () => source.close();
}
