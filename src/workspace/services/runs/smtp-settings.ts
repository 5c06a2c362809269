import { UserError } from '../../../core/errors.js';
import type { SmtpSettings } from '../../context.js';

/**
 * `brickyard up --smtp-url smtp[s]://user:pass@host:port` parsed into SmtpSettings. Errors name
 * the flag and what is wrong but never echo the URL: it may hold the password.
 */
export const DEFAULT_SMTP_FROM = 'brickyard@localhost';

export function parseSmtpUrl(text: string, from: string = DEFAULT_SMTP_FROM, flag = '--smtp-url'): SmtpSettings {
  const usage = (what: string) =>
    new UserError('BY_USAGE', `${flag} ${what}`, { hint: `pass it as smtp://user:password@host:587 (STARTTLS when offered) or smtps://user:password@host:465 (TLS)` });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage('is not a URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw usage(`must use smtp:// or smtps://, not ${url.protocol}//`);
  if (!url.hostname) throw usage('has no host');
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash) throw usage('must not have a path, query or fragment');
  const secure = url.protocol === 'smtps:';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (password && !user) throw usage('has a password but no user name');
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(from) && !/^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/.test(from)) {
    throw new UserError('BY_USAGE', `--smtp-from must be an email address (name@host or "Name <name@host>"), got "${from}"`);
  }
  return {
    // URL keeps IPv6 literals bracketed; the socket wants them bare
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    secure,
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
    from,
  };
}

/** What may be shown of the settings: scheme, host and port, never the credentials. */
export function describeSmtp(s: SmtpSettings): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.secure ? 'smtps' : 'smtp'}://${host}:${s.port}${s.user ? ' (with login)' : ''}, from ${s.from}`;
}
