import type { z } from 'zod';
import { ApiError } from './api-error.ts';
import { notifyUnauthorized, withQuery } from './client.ts';

export interface UploadProgress {
  /** Bytes sent so far, and in all. */
  loaded: number;
  total: number;
  /** The whole file is sent: the server is now reading it. */
  sent: boolean;
}

export interface UploadOptions<S extends z.ZodType> {
  query?: Parameters<typeof withQuery>[1];
  contentType: string;
  schema: S;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

/**
 * Sends a file as the request body (not JSON), reporting how much is sent: XMLHttpRequest,
 * as fetch cannot tell upload progress. Failures are ApiErrors, as `api` throws them; a
 * 401 sends the browser to sign-in like any other call.
 */
export function uploadFile<S extends z.ZodType>(path: string, file: Blob, options: UploadOptions<S>): Promise<z.infer<S>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(path, options.query));
    xhr.setRequestHeader('content-type', options.contentType);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => options.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size, sent: false });
    xhr.upload.onload = () => options.onProgress?.({ loaded: file.size, total: file.size, sent: true });
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the server: check your connection and try again.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) {
        try { resolve(options.schema.parse(body)); } catch (e) { reject(e); }
        return;
      }
      const headers = new Headers();
      const retry = xhr.getResponseHeader('retry-after');
      if (retry) headers.set('retry-after', retry);
      if (xhr.status === 401) notifyUnauthorized();
      reject(ApiError.from(xhr.status, body, headers));
    };
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
