/**
 * Syslog message parsing: RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`) and the
 * BSD format RFC 3164 describes (`<PRI>Mmm dd hh:mm:ss HOST TAG: MSG`). Phones send either, and
 * often something looser; whatever arrives is kept, flagged rather than rejected.
 */

export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

export interface SyslogMessage {
  readonly format: 'rfc5424' | 'rfc3164';
  readonly facility: number;
  readonly severity: number;
  /** False when PRI was missing or out of range (RFC 3164 §4.3.3: then user.notice is assumed). */
  readonly priorityValid: boolean;
  /** The sender's own timestamp as written, when there was one. */
  readonly timestamp?: string;
  readonly hostname?: string;
  readonly app?: string;
  readonly text: string;
}

const BSD_TIME = /^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) /;

/** Parses one message (already decoded, framing removed). Never throws. */
export function parseSyslog(raw: string): SyslogMessage {
  const pri = /^<(\d{1,3})>/.exec(raw);
  const value = pri ? Number(pri[1]) : NaN;
  // RFC 5424 §6.2.1: PRI is 0..191 (facility 0..23 times 8 plus severity).
  const priorityValid = pri !== null && value <= 191 && !(pri[1]!.length > 1 && pri[1]!.startsWith('0'));
  const facility = priorityValid ? value >> 3 : 1;
  const severity = priorityValid ? value & 7 : 5;
  const rest = priorityValid ? raw.slice(pri[0]!.length) : raw;

  const v1 = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(rest);
  if (v1) {
    const afterHeader = rest.slice(v1[0].length);
    const sd = structuredData(afterHeader);
    const text = afterHeader.slice(sd).replace(/^ /, '').replace(/^\uFEFF/, ''); // §6.4: optional BOM
    return {
      format: 'rfc5424', facility, severity, priorityValid,
      timestamp: nil(v1[1]!), hostname: nil(v1[2]!), app: nil(v1[3]!), text,
    };
  }

  const bsd = BSD_TIME.exec(rest);
  if (bsd) {
    const afterTime = rest.slice(bsd[0].length);
    const host = /^(\S+) /.exec(afterTime);
    // RFC 3164 §4.1.3: TAG is up to 32 alphanumerics, ended by `[`, `:` or a space.
    const body = host ? afterTime.slice(host[0].length) : afterTime;
    const tag = /^([^\s:[\]]{1,48})(\[[^\]]*\])?: ?/.exec(body);
    return {
      format: 'rfc3164', facility, severity, priorityValid,
      timestamp: bsd[1], hostname: host?.[1], app: tag?.[1], text: tag ? body.slice(tag[0].length) : body,
    };
  }
  return { format: 'rfc3164', facility, severity, priorityValid, text: rest };
}

/** Length of the STRUCTURED-DATA field at the start of `s` (RFC 5424 §6.3), `-` included. */
function structuredData(s: string): number {
  if (s.startsWith('-')) return 1;
  let i = 0;
  while (s[i] === '[') {
    i++;
    while (i < s.length && s[i] !== ']') {
      // §6.3.3: inside PARAM-VALUE, `\]`, `\"` and `\\` are escaped.
      if (s[i] === '\\') i++;
      i++;
    }
    i++;
  }
  return Math.min(i, s.length);
}

function nil(field: string): string | undefined {
  return field === '-' ? undefined : field;
}

/** A message made safe for a one-line-per-message file: control characters escaped. */
export function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\t' ? ' ' : c === '\n' ? '\\n' : c === '\r' ? '' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
