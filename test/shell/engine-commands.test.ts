// aregcmd's engine commands against a real engine: status, reload of a newly saved revision, trace
// (persisted), stats, reset-stats, dia-stats, stop and start.
import { strict as assert } from 'node:assert';
import { startEngine, type RunningEngine } from '../support/engine.js';
import { traceWith } from '../support/trace.js';

describe('aregcmd engine commands against a running engine', function () {
  this.timeout(120_000);
  let engine: RunningEngine;
  const run = (...args: string[]) => engine.home.run(args);

  before(async function () {
    this.timeout(120_000);
    engine = await startEngine();
  });
  after(async () => engine?.stop());

  it('status names the revision served; reload makes a newly saved revision the one served', async () => {
    const before = await run('status');
    assert.equal(before.status, 0, before.stderr);
    const m = /Running configuration revision (\d+) \(saved revision (\d+)\)/.exec(before.stdout);
    assert.ok(m && m[1] === m[2], before.stdout);
    assert.match(before.stdout, /Server 'Radius' is Running, its health is 10 out of 10/);
    const saved = await engine.home.run(['-f', '-'], { input: 'add /Radius/UserLists/Default/newuser "" pw\nsave\n' });
    assert.equal(saved.status, 0, saved.stderr);
    assert.equal((await run('radtest', 'newuser', 'pw')).status, 1, 'not served before the reload');
    const reload = await run('reload');
    assert.equal(reload.status, 0, reload.stderr);
    assert.match(reload.stdout, /Reloading Server 'Radius'\.\.\.\nServer 'Radius' is Running/);
    const after = await run('status');
    assert.match(after.stdout, new RegExp(`Running configuration revision ${Number(m![1]) + 1} `));
    assert.equal((await run('radtest', 'newuser', 'pw')).status, 0, 'served after the reload');
  });

  it('trace sets the running level and keeps it in the saved tree', async () => {
    assert.equal((await run('trace', '/r', '4')).stdout, 'Trace level set to 4\n');
    assert.equal((await run('trace')).stdout, 'Trace level is 4\n');
    assert.equal((await run('ls', '/Radius/Advanced/TraceLevel')).stdout, 'TraceLevel = 4\n');
    await run('radtest', 'bob', 'bob');
    const wanted = [/P\d+: +User-Password = <encrypted>/, /P\d+: Authenticating and Authorizing with Service local-users/];
    const trace = await traceWith(engine.home.root, wanted);
    for (const re of wanted) assert.match(trace, re);
    assert.equal((await run('trace', '9')).status, 1);
    await run('trace', '0');
  });

  it('stats counts per client and per service; reset-stats zeroes them; dia-stats lists no peers', async () => {
    await run('reset-stats');
    await run('radtest', 'bob', 'bob');
    await run('radtest', 'bob', 'wrong');
    const stats = await run('stats');
    assert.match(stats.stdout, /^Global Statistics for Radius:/);
    assert.match(stats.stdout, /totalAccessAccepts = 1\n/);
    assert.match(stats.stdout, /totalAccessRejects = 1\n/);
    assert.match(stats.stdout, /Client Statistics:\n {2}localhost:\n {4}requests = 2\n {4}accepts = 1\n {4}rejects = 1/);
    assert.match(stats.stdout, /Service Statistics:\n {2}local-users:\n {4}requests = 2/);
    assert.equal((await run('reset-stats')).stdout, "Statistics reset for Server 'Radius'\n");
    assert.match((await run('stats')).stdout, /totalAccessRequests = 0\n/);
    assert.equal((await run('dia-stats')).stdout, 'No Diameter peers\n');
  });

  it('stop and start through the agent', async () => {
    const stop = await run('stop');
    assert.equal(stop.stdout, "Stopping Server 'Radius'...\nServer 'Radius' is Stopped\n");
    assert.equal((await run('radtest', 'bob', 'bob')).status, 1);
    const start = await run('start');
    assert.match(start.stdout, /Server 'Radius' is Running/);
    assert.equal((await run('radtest', 'bob', 'bob')).status, 0);
  });
});
