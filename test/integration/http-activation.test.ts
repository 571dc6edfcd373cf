/**
 * Yealink activation folders and PIN files over real HTTP (curl, Basic and Digest) from the built
 * daemon and the example inventory (config/inventory/devices-yealink-secure.yaml): the folder
 * answers only to its own user and password, the PIN file only inside it, and an inventory
 * reload replaces the folder's credentials.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, startDaemon, type Daemon } from './daemon-harness.js';

const USER = 'sales-installer';
const PASSWORD = 'demo-activation-1';
const UA = 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:99:88:77';

describe('activation folders and PIN files over HTTP', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startDaemon({
      // A folder from the config beside the inventory's: both guarded, each with its own user.
      extraConfig: ['security:', '  auth:', '    folders:', '      - path: T23G_1', '        users: [{ user: t23, password: t23-pw }]'].join('\n'),
    });
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('the common file tells the phone the code and the folder URL', async () => {
    const r = await curl(['-A', UA, `${d.base}/y000000000028.cfg`]);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain(`static.autoprovision.1.code = *11\nstatic.autoprovision.1.url = ${d.base}/act/sales/\n`);
    expect(r.body.toString()).not.toContain(PASSWORD);
  });

  it('serves the activation folder only with its own user and password, Basic or Digest', async () => {
    const path = `${d.base}/act/sales/y000000000028.cfg`;
    expect((await curl(['-A', UA, path])).status).toBe(401);
    expect((await curl(['-A', UA, '--basic', '-u', `${USER}:wrong`, path])).status).toBe(401);
    expect((await curl(['-A', UA, '--digest', '-u', `${USER}:wrong`, path])).status).toBe(401);
    // The config folder's user does not open the inventory's folder, and the other way round.
    expect((await curl(['-A', UA, '--basic', '-u', 't23:t23-pw', path])).status).toBe(401);
    expect((await curl(['-A', UA, '--basic', '-u', `${USER}:${PASSWORD}`, `${d.base}/T23G_1/y000000000028.cfg`])).status).toBe(401);
    expect((await curl(['-A', UA, '--basic', '-u', 't23:t23-pw', `${d.base}/T23G_1/y000000000028.cfg`])).status).toBe(200);
    const basic = await curl(['-A', UA, '--basic', '-u', `${USER}:${PASSWORD}`, path]);
    const digest = await curl(['-A', UA, '--digest', '-u', `${USER}:${PASSWORD}`, path]);
    expect([basic.status, digest.status]).toEqual([200, 200]);
    expect(digest.body.equals(basic.body)).toBe(true);
  });

  it('serves the PIN file in its folder with the folder credentials, and nowhere else', async () => {
    const inFolder = await curl(['-A', UA, '--digest', '-u', `${USER}:${PASSWORD}`, `${d.base}/act/sales/A31.cfg`]);
    expect(inFolder.status).toBe(200);
    expect(inFolder.body.toString()).toContain('account.1.password = demo-pin-331\n');
    expect((await curl(['-A', UA, `${d.base}/act/sales/A31.cfg`])).status).toBe(401);
    expect((await curl(['-A', UA, `${d.base}/A31.cfg`])).status).toBe(404);
    expect((await curl(['-A', UA, `${d.base}/T46U/A31.cfg`])).status).toBe(404);
    // A case variant of the folder is not the guarded folder, so it must not serve the file either.
    expect((await curl(['-A', UA, `${d.base}/Act/Sales/A31.cfg`])).status).toBe(404);
    expect((await curl(['-A', UA, '--basic', '-u', 't23:t23-pw', `${d.base}/T23G_1/A31.cfg`])).status).toBe(404);
  });

  it('takes new folder credentials from a reloaded inventory', async () => {
    const file = join(d.dir, 'inventory', 'devices-yealink-secure.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(`password: "${PASSWORD}"`, 'password: "rotated-activation-2"'));
    await d.waitForLog((l) => l.msg === 'inventory reloaded');
    const path = `${d.base}/act/sales/A31.cfg`;
    expect((await curl(['-A', UA, '--basic', '-u', `${USER}:${PASSWORD}`, path])).status).toBe(401);
    expect((await curl(['-A', UA, '--basic', '-u', `${USER}:rotated-activation-2`, path])).status).toBe(200);
  });
});
