// `listen --open`: the uiUrl goes to the platform's opener (xdg-open here), and a missing
// opener is said in one sentence while listen serves on. The opener on PATH is a script
// that keeps the URL it was given; a real Chromium then loads that URL.
import { afterEach, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type RunningCli } from '../../helpers/cli-process.js';
import { launchChromium } from '../../helpers/browser.js';
import { waitFor } from '../../helpers/wait.js';
import { openerFor } from '../../../cli/commands/listen/open-browser.js';

let dir: string;
let cli: RunningCli | undefined;
afterEach(async () => {
  await cli?.stop();
  cli = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A PATH holding only an xdg-open of our own, or nothing (the CLI runs by process.execPath). */
async function pathWith(opener: string | null): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin);
  if (opener !== null) {
    await writeFile(join(bin, 'xdg-open'), opener);
    await chmod(join(bin, 'xdg-open'), 0o755);
  }
  return bin;
}

const listen = (env: NodeJS.ProcessEnv) =>
  startCli(['listen', '--no-ui', '--open', '--no-tunnel', '--port', '0', '--secret', 'open-secret', '--log', join(dir, 'events.ndjson')], env);

describe('listen --open', () => {
  it('hands the uiUrl to xdg-open, and that URL is the live page', async () => {
    dir = await mkdtemp(join(tmpdir(), 'coreone-open-'));
    const opened = join(dir, 'opened-url');
    cli = listen({ PATH: await pathWith(`#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`) });
    const uiUrl = await waitFor(() => /web: +(\S+)/.exec(cli!.stdout())?.[1], { what: 'the web line' });
    const url = await waitFor(() => readFile(opened, 'utf8').catch(() => ''), { what: 'xdg-open to be run' });
    expect(url).toBe(uiUrl);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+$/);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.locator('.status[data-connection="open"]').waitFor();
    } finally {
      await browser.close();
    }
    expect(cli.stderr()).toBe('');
  }, 60_000);

  it('says in one sentence that no browser could be opened, and serves on', async () => {
    dir = await mkdtemp(join(tmpdir(), 'coreone-open-'));
    cli = listen({ PATH: await pathWith(null) });
    const warning = await waitFor(() => /warning: (Could not open a browser.*)\n/.exec(cli!.stderr())?.[1], { what: 'the warning' });
    expect(warning).toMatch(/^Could not open a browser: xdg-open is not installed\. Open the web inspector yourself: http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/);
    expect(cli.child.exitCode).toBeNull();
  });

  it('says so when the opener fails (xdg-open finds no browser)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'coreone-open-'));
    cli = listen({ PATH: await pathWith('#!/bin/sh\nexit 3\n') });
    const warning = await waitFor(() => /warning: (Could not open a browser.*)\n/.exec(cli!.stderr())?.[1], { what: 'the warning' });
    expect(warning).toMatch(/^Could not open a browser: xdg-open exited with status 3\. Open the web inspector yourself: http:/);
  });

  it('uses each platform its own opener', () => {
    expect(openerFor('darwin').command).toBe('open');
    expect(openerFor('win32')).toEqual({ command: 'cmd', args: ['/c', 'start', '""'] });
    expect(openerFor('linux').command).toBe('xdg-open');
  });
});
