import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { aregcmdPage, arserverPage } from '../../src/man/generate.js';
import { commandTable } from '../../src/shell/registry.js';
import { allClasses } from '../../src/schema/registry.js';

describe('man pages', () => {
  it('the committed pages are what the metadata generates', () => {
    assert.equal(fs.readFileSync('man/aregcmd.1', 'utf8'), aregcmdPage(), 'run npm run build and commit man/');
    assert.equal(fs.readFileSync('man/arserver.8', 'utf8'), arserverPage(), 'run npm run build and commit man/');
  });

  it('aregcmd(1) documents every command and every class of the tree', () => {
    const page = aregcmdPage();
    for (const c of commandTable()) assert.ok(page.includes(c.synopsis.replace(/-/g, '\\-')), c.name);
    for (const cls of allClasses()) assert.ok(page.includes(`.SS ${cls.name}`), cls.name);
  });

  it('man -l renders both pages without warnings', function () {
    try {
      execFileSync('man', ['--version'], { stdio: 'ignore' });
    } catch {
      assert.fail('man is not installed (Debian package man-db)');
    }
    for (const file of ['man/aregcmd.1', 'man/arserver.8']) {
      const out = execFileSync('man', ['-l', '--warnings', file], { env: { ...process.env, MANPAGER: 'cat', MANWIDTH: '100' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.match(out, /NAME/);
    }
  });
});
