/**
 * Commands whose reply depends on nothing but their argument: FEAT (RFC 2389), SYST, NOOP, HELP,
 * OPTS, ACCT, ALLO, TYPE, MODE, STRU (RFC 959 §4.1).
 */
export interface SimpleReply {
  readonly code: number;
  readonly text: string;
  readonly lines?: readonly string[];
}

const FEATURES = ['AUTH TLS', 'PBSZ', 'PROT', 'EPRT', 'EPSV', 'MDTM', 'SIZE', 'REST STREAM', 'MLST type*;size*;modify*;perm*;', 'TVFS', 'UTF8'];

/** The reply to `verb`, or undefined when the session must answer it itself. */
export function simpleCommand(verb: string, arg: string, tlsOffered: boolean): SimpleReply | undefined {
  const a = arg.trim();
  switch (verb) {
    case 'FEAT':
      return { code: 211, text: 'Features:', lines: tlsOffered ? FEATURES : FEATURES.filter((f) => !/^(AUTH|PBSZ|PROT)/.test(f)) };
    case 'SYST':
      return { code: 215, text: 'UNIX Type: L8' };
    case 'NOOP':
      return { code: 200, text: 'NOOP ok.' };
    case 'HELP':
      return { code: 214, text: 'provd serves provisioning files; see FEAT.' };
    case 'OPTS':
      return /^(UTF8 ON|MLST\b)/i.test(a) ? { code: 200, text: 'OK.' } : { code: 501, text: 'Option not understood.' };
    case 'ACCT':
    case 'ALLO':
      return { code: 202, text: 'Not needed.' };
    case 'TYPE':
      // Files go out byte for byte in either type, as vsftpd does by default.
      return /^(A|A N|I|L 8)$/i.test(a) ? { code: 200, text: `Type set to ${a.toUpperCase()}.` } : { code: 504, text: 'Type not supported.' };
    case 'MODE':
      return /^S$/i.test(a) ? { code: 200, text: 'Mode set to S.' } : { code: 504, text: 'Only stream mode.' };
    case 'STRU':
      return /^F$/i.test(a) ? { code: 200, text: 'Structure set to F.' } : { code: 504, text: 'Only file structure.' };
    default:
      return undefined;
  }
}
