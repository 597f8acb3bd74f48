// An imported vendor dictionary reaches the wire: user attributes from it are encoded by the running
// engine and decoded by aregcmd radtest with the same layered dictionary.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { startEngine, type RunningEngine } from '../support/engine.js';
import { checkEngineWire, matches } from '../support/wire.js';

describe('imported dictionaries on the wire (aregcmd radtest against the engine)', function () {
  this.timeout(120_000);
  let engine: RunningEngine;

  before(async function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'areg-dict-'));
    const file = path.join(dir, 'dictionary.example');
    fs.writeFileSync(file, [
      'VENDOR Areg-Example 99999', 'BEGIN-VENDOR Areg-Example', 'ATTRIBUTE Example-Class 1 string',
      'ATTRIBUTE Example-Level 2 integer', 'VALUE Example-Level Gold 3', 'END-VENDOR Areg-Example', '',
    ].join('\n'));
    engine = await startEngine([
      `import-dictionary ${file}`,
      'cd /Radius/UserLists/Default/bob/Attributes', 'set Example-Level Gold', 'set Example-Class premium',
    ]);
  });

  after(async () => engine?.stop());

  const radtest = async (...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> => {
    const r = await engine.home.run(['radtest', ...args]);
    wire.saw(matches(r.stdout, /^Received /gm));
    return r;
  };

  it('PAP and CHAP accepted with the vendor attributes; a wrong password rejected (exit 1)', async () => {
    const ok = await radtest('bob', 'bob');
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /Received Access-Accept Id \d+ from 127\.0\.0\.1:\d+/);
    assert.match(ok.stdout, /Example-Level = Gold\n\s+Example-Class = "premium"/);
    const chap = await radtest('jane', 'jane', 'chap');
    assert.equal(chap.status, 0, chap.stdout + chap.stderr);
    const bad = await radtest('bob', 'nope');
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /Received Access-Reject/);
  });

  it('names what is wrong when nothing answers', async () => {
    const r = await engine.home.run(['radtest', 'bob', 'bob', 'pap', '127.0.0.2']);
    assert.equal(r.status, 1);
    assert.match(r.stderr + r.stdout, /no RADIUS client in the saved tree covers 127\.0\.0\.2/);
  });

  const wire = checkEngineWire(() => ({ radius: [engine.auth], secret: 'secret' }));
});
