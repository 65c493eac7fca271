// `coreone-inspect snippet`: the list, each snippet printed byte for byte as the file the
// snippet tests run, an unknown name refused, and the built bin finding the files it ships.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SNIPPETS } from '../../../cli/commands/snippet/job.js';
import { CLI } from '../../helpers/cli-process.js';
import { runCli } from '../../helpers/run-cli.js';

const source = (file: string) => readFileSync(new URL(`../../../snippets/${file}`, import.meta.url), 'utf8');

describe('coreone-inspect snippet', () => {
  it('lists at least node, express, fastify, python, flask and php, with --list or no name', async () => {
    for (const args of [['snippet'], ['snippet', '--list']]) {
      const result = await runCli(args);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const names = result.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]);
      expect(names).toEqual(['node', 'express', 'fastify', 'python', 'flask', 'php']);
    }
  });

  it.each(SNIPPETS.map((s) => [s.name, s.file]))('prints %s as snippets/%s, the file the tests run', async (name, file) => {
    const result = await runCli(['snippet', name]);
    expect(result).toEqual({ code: 0, stdout: source(file), stderr: '' });
    expect(result.stdout).toContain('COREONE_WEBHOOK_SECRET');
    expect(result.stdout).toMatch(/THE line that matters/);
  });

  it('exits 2 with one sentence for an unknown name', async () => {
    const result = await runCli(['snippet', 'rails']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'coreone-inspect: There is no snippet "rails"; the snippets are node, express, fastify, python, flask, php.\n',
    });
  });

  it('finds the snippets from the built bin too', () => {
    const run = spawnSync(process.execPath, [CLI, 'snippet', 'flask'], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: source('flask_app.py') });
  });
});
