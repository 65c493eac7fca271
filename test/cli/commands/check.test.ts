// `coreone-inspect check`, in-process against real node:http handlers: the plain report as
// cases complete, the --json object of SPEC.md, --cases, --timeout, and the exit codes.
import { afterEach, describe, expect, it } from 'vitest';
import { CASE_IDS } from '../../../server/check/cases.js';
import { run } from '../../../cli/program.js';
import { closedPort, startReceiver, type Answer, type Receiver } from '../../helpers/delivery.js';
import * as handlers from '../../helpers/handlers.js';
import { runCli, testIo } from '../../helpers/run-cli.js';

const SECRET = 'whsec-check-cli-55e1';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function handler(answer: Answer): Promise<string> {
  receiver = await startReceiver(answer);
  return receiver.url;
}

describe('coreone-inspect check', () => {
  it('prints a line per case and no finding for a correct handler, exit 0', async () => {
    const url = await handler(handlers.correct(SECRET));
    const result = await runCli(['check', '--to', url, '--secret', SECRET]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Checking ${url}: ${CASE_IDS.length} cases, one at a time.`);
    for (const id of CASE_IDS) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^✓ pass  ${id} +(200|401) +\\d+ ms  \\S`)));
    expect(result.stdout).toContain(`Cases: ${CASE_IDS.length} pass, 0 fail, 0 warn.\nNo findings: the handler answered every case as a correct handler must.\n`);
  });

  it('shows each case as it completes, before the next request goes out', async () => {
    const { io, stdout } = testIo();
    const printedBefore: string[] = [];
    const verify = handlers.correct(SECRET);
    const url = await handler((post, response) => {
      printedBefore.push(stdout.text());
      verify(post, response);
    });
    expect(await run(['node', 'coreone-inspect', 'check', '--to', url, '--secret', SECRET, '--cases', 'valid,valid-pretty'], io)).toBe(0);
    expect(printedBefore[0]).not.toContain('✓');
    expect(printedBefore[1]).toMatch(/^✓ pass  valid /m);
    expect(printedBefore[1]).not.toContain('valid-pretty');
  });

  it('prints the failing cases with why, then the findings with their fix, exit 1 and nothing on stderr', async () => {
    const url = await handler(handlers.reserializes(SECRET));
    const result = await runCli(['check', '--to', url], { env: { COREONE_WEBHOOK_SECRET: SECRET } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^✗ fail  valid-pretty +401 +\d+ ms  pretty-printed JSON, right hash\n {6}expected a 2xx\n/m);
    expect(result.stdout).toContain('Cases: 11 pass, 3 fail, 0 warn.\nFindings:\n  - reserializes-body: The handler hashes a re-serialized body');
    expect(result.stdout).toContain("express.raw({ type: 'application/json' })");
  });

  it('marks a rejected upper-case hash as a warning, exit 0', async () => {
    const url = await handler(handlers.caseSensitive(SECRET));
    const result = await runCli(['check', '--to', url, '--secret', SECRET]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^! warn  uppercase-hash +401 /m);
    expect(result.stdout).toContain('  - case-sensitive-hash: ');
  });

  it('prints one JSON object with --json, the cases in SPEC.md shape', async () => {
    const url = await handler(handlers.bodyLimit(SECRET));
    const result = await runCli(['check', '--to', url, '--secret', SECRET, '--json']);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['kind', 'url', 'cases', 'findings', 'passed', 'failed', 'warned']);
    expect(report).toMatchObject({ kind: 'check', url, passed: 13, failed: 1, warned: 0 });
    expect(report.findings.map((finding: { code: string }) => finding.code)).toEqual(['body-limit']);
    expect(report.cases.map((c: { id: string }) => c.id)).toEqual([...CASE_IDS]);
    const large = report.cases.find((c: { id: string }) => c.id === 'valid-large');
    expect(large).toEqual({ id: 'valid-large', title: 'a body of about 1 MiB, right hash', expect: 'accept', status: 413, ms: expect.any(Number), outcome: 'fail' });
    const reject = report.cases.find((c: { id: string }) => c.id === 'wrong-secret');
    expect(reject).toMatchObject({ expect: 'reject', status: 401, outcome: 'pass' });
  });

  it('runs only the cases --cases names, in battery order', async () => {
    const url = await handler(handlers.correct(SECRET));
    const result = await runCli(['check', '--to', url, '--secret', SECRET, '--json', '--cases', 'replayed, valid']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).cases.map((c: { id: string }) => c.id)).toEqual(['valid', 'replayed']);
    expect(receiver!.requests).toHaveLength(2);
  });

  it('fails a case at --timeout with a sentence and goes on, null status and ms in --json', async () => {
    const url = await handler(handlers.silent);
    const result = await runCli(['check', '--to', url, '--secret', SECRET, '--json', '--timeout', '150', '--cases', 'valid,missing-hash']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.cases).toEqual([
      expect.objectContaining({ id: 'valid', status: null, ms: null, outcome: 'fail', error: expect.stringMatching(/within 150 ms \(timeout\)/) }),
      expect.objectContaining({ id: 'missing-hash', status: null, outcome: 'fail' }),
    ]);
    expect(report.findings.map((finding: { code: string }) => finding.code)).toEqual(['no-answer']);
  });

  it.each([
    ['nothing listens at --to', async () => ['--to', `http://127.0.0.1:${await closedPort()}/webhooks`, '--secret', SECRET], /^coreone-inspect: Nothing answers at http:\/\/127\.0\.0\.1:\d+\/webhooks: Connection refused by /],
    ['--to is not http(s)', async () => ['--to', 'ftp://127.0.0.1/webhooks', '--secret', SECRET], /is not an http:\/\/ or https:\/\/ URL/],
    ['no secret is given', async () => ['--to', 'http://127.0.0.1:9/webhooks'], /^coreone-inspect: No secret to sign the battery with/],
    ['--cases names an unknown case', async () => ['--to', 'http://127.0.0.1:9/webhooks', '--secret', SECRET, '--cases', 'valid,bogus'], /"bogus" is not a case id; the ids are valid, /],
  ])('exits 2 with one sentence when %s', async (_what, args, sentence) => {
    const result = await runCli(['check', ...(await args())]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(sentence);
    expect(result.stderr.trim().split('\n')).toHaveLength(result.stderr.includes('--help') ? 2 : 1);
  });
});
