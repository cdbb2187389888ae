import { InputError } from '@backstage/errors';

/** The HTTPS-only, no-credentials rules for devfile URLs (the host is UrlReader's business). */
export function checkDevfileUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError('Invalid devfileUrl: not a valid URL');
  }
  if (url.protocol !== 'https:') {
    throw new InputError('Invalid devfileUrl: URL must be HTTPS');
  }
  if (url.username || url.password) {
    throw new InputError('Invalid devfileUrl: URL must not contain credentials');
  }
  return url.toString();
}
