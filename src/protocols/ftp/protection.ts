/**
 * The security state of one control connection under RFC 4217: whether the control channel is
 * TLS (after AUTH TLS), whether PBSZ was given, and the PROT level data connections use.
 */

export interface Reply {
  readonly code: number;
  readonly text: string;
}

export class Protection {
  readonly #requireTls: boolean;
  #tls = false;
  #pbsz = false;
  #private = false;

  constructor(requireTls: boolean) {
    this.#requireTls = requireTls;
  }

  /** The control connection is TLS. */
  get tls(): boolean {
    return this.#tls;
  }

  /** Data connections are encrypted (PROT P). */
  get dataPrivate(): boolean {
    return this.#private;
  }

  /** A data transfer may start: refused while TLS is required but data would go in clear. */
  get dataAllowed(): boolean {
    return !this.#requireTls || this.#private;
  }

  /** The control connection just switched to TLS. */
  upgraded(): void {
    this.#tls = true;
  }

  /** RFC 4217 §8: PBSZ is meaningful only under TLS, and 0 is the only size for TLS. */
  pbsz(): Reply {
    if (!this.#tls) return { code: 503, text: 'PBSZ needs AUTH TLS first.' };
    this.#pbsz = true;
    return { code: 200, text: 'PBSZ=0' };
  }

  /** RFC 4217 §9: PROT P or C, after PBSZ; C is refused when TLS is required. */
  prot(arg: string): Reply {
    if (!this.#tls) return { code: 503, text: 'PROT needs AUTH TLS first.' };
    if (!this.#pbsz) return { code: 503, text: 'PROT needs PBSZ first.' };
    const level = arg.trim().toUpperCase();
    if (level === 'P') {
      this.#private = true;
      return { code: 200, text: 'PROT now Private.' };
    }
    if (level === 'C') {
      if (this.#requireTls) return { code: 534, text: 'Data connections must be encrypted.' };
      this.#private = false;
      return { code: 200, text: 'PROT now Clear.' };
    }
    return { code: 504, text: 'PROT P or C only.' };
  }
}
