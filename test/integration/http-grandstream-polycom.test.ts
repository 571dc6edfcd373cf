/**
 * Grandstream and Polycom phones against the running daemon over HTTP, with curl and the
 * vendors' User-Agents: each boot sequence of vendors.md §1.1 replayed with its 404 fall-backs,
 * Grandstream's pre-emptive Basic credentials and the seed's "Folder Path" with a space, and
 * Polycom's HEAD requests and uploads (logs appended under the cap, the rest stored and served back).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, eventually, startDaemon, type Daemon } from './daemon-harness.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const GS_MAC = 'c074ad656e2c';
const GS_UA = 'Grandstream Model HW WP810 SW 1.0.11.16 DevId c074ad656e2c';
const PC_MAC = '0004f2a1b2c3';
const PC_UA = 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2522 Type/Application';
const PC_UPDATER_UA = 'FileTransport PolycomVVX-VVX_450-UA/6.4.6.2522 Type/Updater';

interface LedgerJson {
  path: string;
  mac: string | null;
  file: string | null;
  outcome: string;
  reason: string | null;
  status: number | null;
  md5: string | null;
  user: string | null;
}
const jsonLines = <T>(text: string): T[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);

describe('Grandstream and Polycom over HTTP through the pipeline', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon({
      extraConfig: [
        'uploads:',
        '  max_bytes: 2048',
        'security:',
        '  auth:',
        '    folders:',
        '      - path: gs-secure',
        '        users: [{ user: gsprov, password: "Conf1g-Pw" }]',
      ].join('\n'),
      // A GXP2170 whose admin set a Config File Prefix/Postfix on the phone.
      prepare: (dir) =>
        writeFileSync(
          join(dir, 'inventory', 'zz-gxp.yaml'),
          [
            'devices:',
            '  - mac: "00:0b:82:aa:bb:cc"',
            '    model: GXP2170',
            '    site: lab',
            '    vars: { grandstream_config_prefix: "site1_", grandstream_config_postfix: ".v2" }',
            '    accounts:',
            '      - { line: 1, user: "220", password: "demo-gxp-220" }',
            '',
          ].join('\n'),
        ),
    });
  });
  afterAll(async () => {
    await d?.stop();
  });

  const ledger = async (): Promise<LedgerJson[]> => jsonLines<LedgerJson>((await d.cli(['ledger', '--json', '--limit', '500'])).stdout);

  it('Grandstream WP810: legacy cfg<mac> and cfg<mac>.bin 404, cfg<mac>.xml served with the seed values', async () => {
    for (const legacy of [`cfg${GS_MAC}`, `cfg${GS_MAC}.bin`]) {
      const r = await curl(['-A', GS_UA, `${d.base}/${legacy}`]);
      expect(r.status, legacy).toBe(404);
    }
    const xml = await curl(['-A', GS_UA, `${d.base}/cfg${GS_MAC}.xml`]);
    expect(xml.status).toBe(200);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const text = xml.body.toString();
    for (const pv of ['<P271>1</P271>', '<P270>6E2C</P270>', '<P35>3223</P35>', '<P36>343</P36>', '<P32>60</P32>', '<P130>2</P130>', '<P183>2</P183>', '<P198>137</P198>', '<P48>us01sip0h.sc.zoom.us:5091</P48>']) {
      expect(text).toContain(pv);
    }
    expect(xml.headers.etag).toBe(`"${md5(xml.body)}"`);
    // The seed's server path has a folder with a space; the same file is answered there.
    const spaced = await curl(['-A', GS_UA, `${d.base}/Folder%20Path/cfg${GS_MAC}.xml`]);
    expect(spaced.status).toBe(200);
    expect(md5(spaced.body)).toBe(md5(xml.body));

    const rows = await eventually(async () => {
      const r = await ledger();
      return r.some((x) => x.path === `/cfg${GS_MAC}.bin`) && r.some((x) => x.path === `/cfg${GS_MAC}.xml` && x.outcome === 'served') ? r : undefined;
    });
    const bin = rows.find((x) => x.path === `/cfg${GS_MAC}.bin`)!;
    expect(bin).toMatchObject({ mac: GS_MAC, outcome: 'not_found', reason: 'no_such_file', status: 404 });
    const served = rows.find((x) => x.path === `/cfg${GS_MAC}.xml` && x.outcome === 'served')!;
    expect(served).toMatchObject({ mac: GS_MAC, file: `cfg${GS_MAC}.xml`, md5: md5(xml.body) });
  });

  it('Grandstream GXP2170 with a file prefix/postfix: both readings of the name answer the same file', async () => {
    const ua = 'Grandstream Model HW GXP2170 SW 1.0.11.79 DevId 000b82aabbcc';
    const plain = await curl(['-A', ua, `${d.base}/cfg000b82aabbcc.xml`]);
    expect(plain.status).toBe(200);
    expect(plain.body.toString()).toContain('<P47>pbx.example.lan</P47>');
    for (const name of ['site1_cfg000b82aabbcc.xml.v2', 'site1_cfg000b82aabbcc.v2.xml']) {
      const r = await curl(['-A', ua, `${d.base}/${name}`]);
      expect(r.status, name).toBe(200);
      expect(md5(r.body)).toBe(md5(plain.body));
    }
    expect((await curl(['-A', ua, `${d.base}/other_cfg000b82aabbcc.xml`])).status).toBe(404);
  });

  it('Grandstream phone not in the inventory: MAC files 404, then cfg<model>.xml and cfg.xml without accounts', async () => {
    const stranger = 'Grandstream Model HW WP810 SW 1.0.11.16 DevId c074ad000001';
    expect((await curl(['-A', stranger, `${d.base}/cfgc074ad000001.bin`])).status).toBe(404);
    expect((await curl(['-A', stranger, `${d.base}/cfgc074ad000001.xml`])).status).toBe(404);
    for (const name of ['cfgwp810.xml', 'cfg.xml']) {
      const r = await curl(['-A', stranger, `${d.base}/${name}`]);
      expect(r.status, name).toBe(200);
      expect(r.body.toString()).toContain('<P212>1</P212>');
      expect(r.body.toString()).not.toMatch(/<P3[45]>|demo-zoom/);
    }
  });

  it('Grandstream "Always Authenticate Before Challenge": pre-emptive Basic accepted, wrong ones refused', async () => {
    const url = `${d.base}/gs-secure/cfg${GS_MAC}.xml`;
    expect((await curl(['-A', GS_UA, url])).status).toBe(401);
    // curl -u with Basic sends the credentials with the first request, as the phone's option does.
    const pre = await curl(['-A', GS_UA, '--basic', '-u', 'gsprov:Conf1g-Pw', url]);
    expect(pre.status).toBe(200);
    expect(pre.body.toString()).toContain('<P35>3223</P35>');
    expect((await curl(['-A', GS_UA, '--basic', '-u', 'gsprov:nope', url])).status).toBe(401);
    const rows = await eventually(async () => {
      const r = await ledger();
      return r.some((x) => x.path === `/gs-secure/cfg${GS_MAC}.xml` && x.user === 'gsprov' && x.outcome === 'served') ? r : undefined;
    });
    expect(rows.filter((x) => x.path === `/gs-secure/cfg${GS_MAC}.xml` && x.status === 200)).toHaveLength(1);
    expect(JSON.stringify(d.logs)).not.toContain('Conf1g-Pw');
  });

  it('Polycom VVX450: <mac>.cfg 404 (HEAD and GET), the master, then every CONFIG_FILES entry', async () => {
    expect((await curl(['-I', '-A', PC_UPDATER_UA, `${d.base}/${PC_MAC}.cfg`])).status).toBe(404);
    expect((await curl(['-A', PC_UPDATER_UA, `${d.base}/${PC_MAC}.cfg`])).status).toBe(404);
    const head = await curl(['-I', '-A', PC_UPDATER_UA, `${d.base}/000000000000.cfg`]);
    expect(head.status).toBe(200);
    const master = await curl(['-A', PC_UPDATER_UA, `${d.base}/000000000000.cfg`]);
    expect(master.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(master.body.length));
    const files = /CONFIG_FILES="([^"]*)"/.exec(master.body.toString())?.[1]?.split(',').map((f) => f.trim().replace('[PHONE_MAC_ADDRESS]', PC_MAC));
    expect(files).toEqual([`${PC_MAC}-reg.cfg`]);
    for (const name of files ?? []) {
      const r = await curl(['-A', PC_UA, `${d.base}/${name}`]);
      expect(r.status).toBe(200);
      expect(r.body.toString()).toContain('reg.1.address="210"');
      expect(r.body.toString()).toContain('reg.2.address="211"');
    }
    // Optional per-phone files the phone asks for next: missing is a 404, and it goes on.
    for (const name of [`${PC_MAC}-phone.cfg`, `${PC_MAC}-directory.xml`, `${PC_MAC}-license.cfg`]) {
      expect((await curl(['-A', PC_UA, `${d.base}/${name}`])).status, name).toBe(404);
    }
    // The registration file goes only to a request naming the phone.
    expect((await curl(['-A', PC_UA, `${d.base}/0004f2ffffff-reg.cfg`])).status).toBe(404);
  });

  it('Polycom logs are appended, capped at uploads.max_bytes from the front, one line at a time', async () => {
    const part = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag} line ${String(i).padStart(3, '0')}\n`).join('');
    const file = join(d.dir, 'boot-part.log');
    writeFileSync(file, part('first', 30)); // 30 x 15 bytes
    expect((await curl(['-A', PC_UA, '-T', file, `${d.base}/${PC_MAC}-boot.log`])).status).toBe(201);
    writeFileSync(file, part('second', 30));
    expect((await curl(['-A', PC_UA, '-T', file, `${d.base}/${PC_MAC}-boot.log`])).status).toBe(204);
    const stored = join(d.dir, 'var', 'uploads', PC_MAC, `${PC_MAC}-boot.log`);
    const both = readFileSync(stored, 'utf8');
    expect(both).toBe(part('first', 30) + part('second', 30));

    writeFileSync(file, part('third', 100)); // 1500 bytes: only the newest lines of the old fit
    expect((await curl(['-A', PC_UA, '-T', file, `${d.base}/${PC_MAC}-boot.log`])).status).toBe(204);
    const capped = readFileSync(stored, 'utf8');
    expect(statSync(stored).size).toBeLessThanOrEqual(2048);
    expect(capped.endsWith(part('third', 100))).toBe(true);
    // 548 bytes of room: all of "second" and the last whole lines of "first", cut at a line break.
    expect(capped).toBe(part('first', 30).slice(-60) + part('second', 30) + part('third', 100));

    writeFileSync(file, Buffer.alloc(4096, 0x41));
    expect((await curl(['-A', PC_UA, '-T', file, `${d.base}/${PC_MAC}-app.log`])).status).toBe(413);
    expect(existsSync(join(d.dir, 'var', 'uploads', PC_MAC, `${PC_MAC}-app.log`))).toBe(false);
    expect(readFileSync(stored, 'utf8')).toBe(capped);
  });

  it('Polycom -phone.cfg, -directory.xml and -calls.xml are stored whole and served back (GET and HEAD)', async () => {
    for (const [suffix, content] of [
      ['-phone.cfg', '<PHONE_CONFIG><OVERRIDES up.backlight.idleIntensity="1"/></PHONE_CONFIG>\n'],
      ['-directory.xml', '<directory><item_list><item><fn>Ann</fn><ct>201</ct></item></item_list></directory>\n'],
      ['-calls.xml', '<callList><call type="missed" number="202"/></callList>\n'],
    ] as const) {
      const name = `${PC_MAC}${suffix}`;
      const file = join(d.dir, `up${suffix}`);
      writeFileSync(file, content);
      expect((await curl(['-A', PC_UA, '-T', file, `${d.base}/${name}`])).status, name).toBe(201);
      writeFileSync(file, content.replace('1', '2'));
      expect((await curl(['-A', PC_UA, '-T', file, `${d.base}/${name}`])).status, name).toBe(204);
      const back = await curl(['-A', PC_UA, `${d.base}/${name}`]);
      expect(back.status).toBe(200);
      expect(back.body.toString()).toBe(content.replace('1', '2'));
      const head = await curl(['-I', '-A', PC_UA, `${d.base}/${name}`]);
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(String(back.body.length));
    }
    const file = join(d.dir, 'up-phone.cfg');
    // Not files a phone writes: its generated registration file, the master, another phone's log.
    for (const name of [`${PC_MAC}-reg.cfg`, '000000000000.cfg', '0004f2ffffff-app.log', `cfg${GS_MAC}.xml`]) {
      expect((await curl(['-A', PC_UA, '-T', file, `${d.base}/${name}`])).status, name).toBe(405);
    }
    const rows = await eventually(async () => {
      const r = await ledger();
      return r.filter((x) => x.outcome === 'stored').length >= 8 ? r : undefined;
    });
    expect(rows.find((x) => x.outcome === 'stored' && x.file === `${PC_MAC}-calls.xml`)).toMatchObject({ mac: PC_MAC });
  });
});
