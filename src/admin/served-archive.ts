/**
 * Bodies of device files this daemon rendered, by MD5, so the device page can diff what a phone
 * last received against today's render. The ledger keeps only the MD5 of what was served; the
 * bytes behind an MD5 are known here when this daemon rendered them (since its start). Bounded:
 * the oldest bodies go first past the byte budget.
 */
import type { Catalog } from '../render/catalog.js';

export class ServedArchive {
  readonly #bodies = new Map<string, Buffer>();
  #bytes = 0;
  readonly #budget: number;

  constructor(budgetBytes = 64 * 1024 * 1024) {
    this.#budget = budgetBytes;
  }

  /** Keeps every device file of a catalog (unchanged files share their Buffer, so cost nothing new). */
  remember(catalog: Catalog): void {
    for (const e of catalog.entries()) {
      if (!e.mac || !e.file || this.#bodies.has(e.file.md5)) continue;
      this.#bodies.set(e.file.md5, e.file.body);
      this.#bytes += e.file.body.length;
    }
    for (const [md5, body] of this.#bodies) {
      if (this.#bytes <= this.#budget) break;
      this.#bodies.delete(md5);
      this.#bytes -= body.length;
    }
  }

  get(md5: string): Buffer | undefined {
    return this.#bodies.get(md5);
  }
}
