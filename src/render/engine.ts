/**
 * Template engine adapter (liquidjs). Strict on purpose: an undefined variable or an unknown
 * filter is an error, never an empty string, because a config with a silently blank password or
 * registrar is worse than no config (the phone then falls back or keeps its old one).
 *
 * Optional values are tested inside `if`/`elsif`/`unless` or given a `default`: liquidjs'
 * `lenientIf` lets exactly those places read an undefined variable. Templates see own properties
 * only (no `constructor`, no prototype), and read nothing outside the two template roots.
 *
 * Newlines (decided here, once, for every vendor): `\r\n` and `\r` become `\n`, whitespace and
 * blank lines at the end are dropped and the file ends with exactly one `\n`. Nothing else is
 * touched: blank lines inside a file are the template's business (use `{%-` / `-%}`). Phones MD5 what they download, so
 * a template saved with Windows line endings or an extra blank line at the end must not change
 * the bytes. A render that leaves only whitespace is an error: an empty 200 would stop a phone
 * from falling back to its next file.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { Liquid, type Template } from 'liquidjs';

export interface TemplateEngine {
  /** Renders a template (`yealink/mac.cfg.liquid`) to bytes; throws RenderError on any problem. */
  render(template: string, context: Record<string, unknown>): Buffer;
  /** True when the template exists in the override or the shipped folder. */
  has(template: string): boolean;
}

export interface TemplateRoots {
  /** Templates shipped with provd (`templates/`). */
  readonly shipped: string;
  /** The admin's folder (`templates.local/`); a file here replaces the shipped one of that name. */
  readonly override: string;
}

/** A template could not be found, parsed or rendered. `template` is the name asked for. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
  constructor(
    readonly template: string,
    message: string,
  ) {
    super(`template ${template}: ${message}`);
  }
}

// Template names are relative, forward-slash paths of plain segments.
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

function validName(template: string): boolean {
  return NAME.test(template) && !template.split('/').some((s) => s === '..' || s === '.');
}

/** Real path of `root`, or undefined when the folder does not exist (an absent override is fine). */
function realRoot(root: string): string | undefined {
  try {
    return realpathSync(resolve(root));
  } catch {
    return undefined;
  }
}

/** `file` resolved through symlinks, when it is a regular file inside `root` (already real). */
function fileInside(root: string, file: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(file);
    if (!statSync(real).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return real.startsWith(root.endsWith(sep) ? root : root + sep) ? real : undefined;
}

function normalise(text: string): string {
  const lf = text.replace(/\r\n?/g, '\n');
  return lf.replace(/\s+$/, '') + '\n';
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * An engine over the override and shipped folders, override first. Templates are read and parsed
 * once, on first use, and kept for the life of the engine (a new engine picks up edits).
 */
export function createTemplateEngine(roots: TemplateRoots): TemplateEngine {
  // Roots are resolved per lookup so an override folder created after start-up is still seen.
  const rootList = (): string[] =>
    [roots.override, roots.shipped].map(realRoot).filter((r): r is string => r !== undefined);

  const liquid = new Liquid({
    // `include`/`render` inside a template resolve against the same two roots, override first.
    root: [resolve(roots.override), resolve(roots.shipped)],
    relativeReference: false,
    extname: '',
    cache: true,
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    lenientIf: true,
  });
  liquid.registerFilter('oneline', (value: unknown) => {
    // Every line-oriented format (Yealink `key = value`, Cisco/Grandstream XML values) breaks, or
    // gains an extra setting, when a value carries a line break.
    const text = value === undefined || value === null ? '' : String(value);
    if (/[\r\n\0]/.test(text)) throw new Error('value contains a line break or NUL');
    return text;
  });

  const parsed = new Map<string, Template[]>();

  const locate = (template: string): string | undefined => {
    if (!validName(template) || isAbsolute(template)) return undefined;
    for (const root of rootList()) {
      const found = fileInside(root, join(root, ...template.split('/')));
      if (found) return found;
    }
    return undefined;
  };

  const load = (template: string): Template[] => {
    const cached = parsed.get(template);
    if (cached) return cached;
    if (!validName(template)) throw new RenderError(template, 'not a valid template name');
    const file = locate(template);
    if (!file) throw new RenderError(template, 'not found in the override or shipped templates');
    let tpl: Template[];
    try {
      tpl = liquid.parse(readFileSync(file, 'utf8'), file);
    } catch (err) {
      throw new RenderError(template, describe(err));
    }
    parsed.set(template, tpl);
    return tpl;
  };

  return {
    render(template, context) {
      const tpl = load(template);
      let out: string;
      try {
        out = liquid.renderSync(tpl, context) as string;
      } catch (err) {
        throw new RenderError(template, describe(err));
      }
      const text = normalise(out);
      if (text === '\n') throw new RenderError(template, 'rendered an empty file');
      return Buffer.from(text, 'utf8');
    },
    has(template) {
      return parsed.has(template) || locate(template) !== undefined;
    },
  };
}
