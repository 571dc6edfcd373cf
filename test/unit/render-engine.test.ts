import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTemplateEngine, RenderError, type TemplateEngine } from '../../src/render/engine.js';

let base: string;
let shipped: string;
let override: string;
let engine: TemplateEngine;

function write(root: string, name: string, text: string): void {
  const file = join(root, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function renderText(template: string, context: Record<string, unknown> = {}): string {
  return engine.render(template, context).toString('utf8');
}

function renderError(template: string, context: Record<string, unknown> = {}): RenderError {
  try {
    engine.render(template, context);
  } catch (err) {
    if (err instanceof RenderError) return err;
    throw err;
  }
  throw new Error(`${template} rendered without an error`);
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'provd-engine-'));
  shipped = join(base, 'templates');
  override = join(base, 'templates.local');
  mkdirSync(shipped);
  mkdirSync(override);
  engine = createTemplateEngine({ shipped, override });
});

afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('strictness', () => {
  it('fails on an undefined variable, naming the template, the variable and the line', () => {
    write(shipped, 'v/a.liquid', 'line one\nkey = {{ account.pasword }}\n');
    const err = renderError('v/a.liquid', { account: { password: 'x' } });
    expect(err.template).toBe('v/a.liquid');
    expect(err.message).toContain('template v/a.liquid');
    expect(err.message).toContain('account.pasword');
    expect(err.message).toContain('line:2');
  });

  it('fails on an unknown filter', () => {
    write(shipped, 'v/f.liquid', 'key = {{ x | no_such_filter }}\n');
    expect(renderError('v/f.liquid', { x: 1 }).message).toContain('no_such_filter');
  });

  it('lets if/unless and default read an undefined variable', () => {
    write(shipped, 'v/opt.liquid', 'a = {{ mode | default: 1 }}\n{% if extra %}extra = {{ extra }}\n{% endif %}{% unless gone.deep %}b = 2{% endunless %}\n');
    expect(renderText('v/opt.liquid')).toBe('a = 1\nb = 2\n');
    expect(renderText('v/opt.liquid', { mode: 0, extra: 'y' })).toBe('a = 0\nextra = y\nb = 2\n');
  });

  it('sees own properties only, not the prototype chain', () => {
    write(shipped, 'v/own.liquid', 'x = {{ obj.inherited }}\n');
    const obj = Object.create({ inherited: 'from prototype' }) as Record<string, unknown>;
    expect(renderError('v/own.liquid', { obj }).message).toContain('obj.inherited');
    write(shipped, 'v/ctor.liquid', 'x = {{ obj.constructor }}\n');
    expect(renderError('v/ctor.liquid', { obj: {} }).message).toContain('obj.constructor');
  });

  it('reports a parse error with the template name', () => {
    write(shipped, 'v/bad.liquid', 'x\n{% if a %}\n');
    const err = renderError('v/bad.liquid', { a: 1 });
    expect(err.message).toMatch(/template v\/bad\.liquid: .*not closed/);
  });

  it('refuses a value with a line break through the oneline filter', () => {
    write(shipped, 'v/one.liquid', 'password = {{ p | oneline }}\n');
    expect(renderText('v/one.liquid', { p: 'ok' })).toBe('password = ok\n');
    expect(renderError('v/one.liquid', { p: 'x\naccount.1.sip_server.1.address = evil' }).message).toContain('line break');
  });
});

describe('template lookup', () => {
  it('prefers the override folder over the shipped one', () => {
    write(shipped, 'yealink/mac.cfg.liquid', 'shipped\n');
    write(override, 'yealink/mac.cfg.liquid', 'override\n');
    write(shipped, 'yealink/other.liquid', 'shipped other\n');
    expect(renderText('yealink/mac.cfg.liquid')).toBe('override\n');
    expect(renderText('yealink/other.liquid')).toBe('shipped other\n');
  });

  it('works without an override folder', () => {
    rmSync(override, { recursive: true });
    write(shipped, 'v/a.liquid', 'a\n');
    expect(renderText('v/a.liquid')).toBe('a\n');
  });

  it('throws RenderError for a missing template and has() says false', () => {
    expect(engine.has('v/missing.liquid')).toBe(false);
    expect(renderError('v/missing.liquid').message).toContain('not found');
    write(override, 'v/here.liquid', 'x\n');
    expect(engine.has('v/here.liquid')).toBe(true);
  });

  it.each(['../outside.liquid', 'v/../../outside.liquid', '/etc/passwd', 'v\\a.liquid', 'v/a.liquid\0', '', 'v//a.liquid'])(
    'refuses the name %j',
    (name) => {
      write(base, 'outside.liquid', 'secret\n');
      expect(engine.has(name)).toBe(false);
      expect(() => engine.render(name, {})).toThrow(RenderError);
    },
  );

  it('does not follow a symlink out of the roots', () => {
    write(base, 'elsewhere/secret.liquid', 'secret\n');
    mkdirSync(join(override, 'v'));
    symlinkSync(join(base, 'elsewhere', 'secret.liquid'), join(override, 'v', 'link.liquid'));
    expect(engine.has('v/link.liquid')).toBe(false);
    expect(renderError('v/link.liquid').message).toContain('not found');
  });

  it('keeps include inside the roots', () => {
    write(base, 'outside.liquid', 'secret\n');
    write(shipped, 'v/inc.liquid', "{% include '../outside.liquid' %}\n");
    expect(() => engine.render('v/inc.liquid', {})).toThrow(RenderError);
    write(shipped, 'v/part.liquid', 'part = {{ x }}');
    write(shipped, 'v/uses.liquid', "{% include 'v/part.liquid' %}\n");
    expect(renderText('v/uses.liquid', { x: 1 })).toBe('part = 1\n');
  });
});

describe('output bytes', () => {
  it('turns CRLF and CR into LF and ends with exactly one newline', () => {
    write(shipped, 'v/crlf.liquid', '#!version:1.0.0.1\r\na = 1\r\nb = 2\r\n\r\n\r\n');
    expect(renderText('v/crlf.liquid')).toBe('#!version:1.0.0.1\na = 1\nb = 2\n');
    write(shipped, 'v/nonl.liquid', 'a = 1');
    expect(renderText('v/nonl.liquid')).toBe('a = 1\n');
    write(shipped, 'v/cr.liquid', 'a = 1\rb = 2');
    expect(renderText('v/cr.liquid')).toBe('a = 1\nb = 2\n');
  });

  it('refuses to produce an empty file (an empty 200 stops a phone falling back)', () => {
    write(shipped, 'v/empty.liquid', '{% if x %}x{% endif %}\n\n');
    expect(renderError('v/empty.liquid').message).toContain('empty');
  });

  it('renders the same bytes every time and parses a template once', () => {
    write(shipped, 'v/d.liquid', '{% for k in list %}{{ k }}\n{% endfor %}');
    const first = engine.render('v/d.liquid', { list: ['b', 'a', 'c'] });
    expect(first.toString('utf8')).toBe('b\na\nc\n');
    expect(engine.render('v/d.liquid', { list: ['b', 'a', 'c'] }).equals(first)).toBe(true);
    // The parsed template is kept: an edit on disk is seen by a new engine only.
    write(shipped, 'v/d.liquid', 'changed\n');
    expect(engine.render('v/d.liquid', { list: ['b', 'a', 'c'] }).equals(first)).toBe(true);
    expect(createTemplateEngine({ shipped, override }).render('v/d.liquid', {}).toString('utf8')).toBe('changed\n');
  });

  it('encodes UTF-8', () => {
    write(shipped, 'v/u.liquid', 'name = {{ n }}\n');
    expect(engine.render('v/u.liquid', { n: 'Zoë 会议室' }).equals(Buffer.from('name = Zoë 会议室\n', 'utf8'))).toBe(true);
  });
});
