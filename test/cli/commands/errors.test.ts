// The three ways a command fails (cli/errors.ts), in-process: the user's mistake (one
// sentence, exit 2), the answer "no" (one sentence, exit 1), each with its stack only
// under DEBUG; and a bug (its stack and a request to report it, exit 1, never 2), also
// in a listener that keeps serving.
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { keepServingOnBugs } from '../../../cli/commands/listen/job.js';
import { run } from '../../../cli/program.js';
import { closedPort } from '../../helpers/delivery.js';
import { Recorder, runCli, testIo } from '../../helpers/run-cli.js';

const STACK = /\n {4}at /;
const REPORT = 'coreone-inspect: this is a bug in coreone-inspect, not in how it was used; please report it to the coreone-inspect maintainers with the lines above.';

describe('the user\'s mistake: UsageError', () => {
  const noSecret = ['send', 'leaf/match', '--to', 'http://127.0.0.1:9/'];

  it('send without a secret: exit 2, one sentence, no stack', async () => {
    const { code, stdout, stderr } = await runCli(noSecret);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^coreone-inspect: No secret to sign with: [^\n]+\.\n$/);
  });

  it('the same with DEBUG set: its stack', async () => {
    const { code, stderr } = await runCli(noSecret, { env: { DEBUG: '1' } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^coreone-inspect: UsageError: No secret to sign with: /);
    expect(stderr).toMatch(STACK);
    expect(stderr).not.toContain(REPORT);
  });
});

describe('the answer "no": NegativeAnswer', () => {
  it('send to a port where nothing listens: exit 1, one sentence, no stack', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const { code, stdout, stderr } = await runCli(['send', 'leaf/match', '--to', url, '--unsigned']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/← no reply after \d+ ms\n/);
    expect(stderr).toBe(`coreone-inspect: No 2xx reply from ${url}.\n`);
  });

  it('the same with DEBUG set: its stack', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const { code, stderr } = await runCli(['send', 'leaf/match', '--to', url, '--unsigned'], { env: { DEBUG: '1' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^coreone-inspect: NegativeAnswer: No 2xx reply from ${url.replaceAll('.', '\\.')}\\.\\n`));
    expect(stderr).toMatch(STACK);
  });
});

describe('a bug: anything else thrown', () => {
  it('types, whose stdout throws a TypeError: exit 1, the stack, the request to report it', async () => {
    const { io, stderr } = testIo();
    const broken = new Writable({
      write() {
        throw new TypeError('stdout broke');
      },
    });
    const code = await run(['node', 'coreone-inspect', 'types'], { ...io, stdout: broken });
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/^coreone-inspect: TypeError: stdout broke\n {4}at /);
    expect(stderr.text().endsWith(`\n${REPORT}\n`)).toBe(true);
  });

  it('listen keeps serving: an uncaught exception or rejection is reported with its stack', () => {
    const processEvents = new EventEmitter();
    const stderr = new Recorder();
    keepServingOnBugs(stderr, processEvents);
    processEvents.emit('uncaughtException', new RangeError('a socket callback broke'));
    processEvents.emit('unhandledRejection', 'a promise rejected with a string');
    const [exception, rejection] = stderr.text().split(/(?<=keeps running\.\n)/);
    expect(exception).toMatch(/^coreone-inspect: RangeError: a socket callback broke\n {4}at [^]*\n/);
    expect(exception!.endsWith(`${REPORT} coreone-inspect keeps running.\n`)).toBe(true);
    expect(rejection).toBe(`coreone-inspect: a promise rejected with a string\n${REPORT} coreone-inspect keeps running.\n`);
  });
});
