// The TUI of `listen` shares the listener's process: 400 MB of webhook bodies must not
// exhaust a 512 MiB heap (the TUI holds at most 128 MiB of bodies, and draws or diffs at most
// 256 KiB of one).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { burst } from '../helpers/hardening-listener.js';
import { Tmux } from '../helpers/hardening-tmux.js';
import { waitFor } from '../helpers/wait.js';
const SECRET = 'edge-case-secret';
describe('the TUI in the listener\'s process', () => {
  const tmux = new Tmux('edge-large-bodies');
  afterAll(() => tmux.kill());

  it('holds a bounded amount of large bodies: 100 bodies of 4 MB on a 512 MiB heap are all answered, the process alive', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coreone-edge-tui-'));
    const log = join(dir, 'events.ndjson');
    tmux.start('l', ['--no-tunnel', '--port', '0', '--secret', SECRET, '--log', log], { env: { NODE_OPTIONS: '--max-old-space-size=512' } });
    tmux.run('set-option', '-t', 'l', 'remain-on-exit', 'on');
    const url = await waitFor(() => /webhook (http:\/\/127\.0\.0\.1:\d+\/)/.exec(tmux.capture('l'))?.[1], { timeoutMs: 15_000 });
    const pad = 'x'.repeat(4_000_000);
    const result = await burst({ port: Number(new URL(url).port), secret: SECRET, count: 100, concurrency: 1, body: () => JSON.stringify({ pad }) });
    expect(result.failed).toBe(0);
    expect(result.acknowledged).toHaveLength(100);
    expect(tmux.run('display-message', '-p', '-t', 'l', '#{pane_dead}').trim()).toBe('0');
    expect((await readFile(log, 'utf8')).trim().split('\n')).toHaveLength(100);
    await rm(dir, { recursive: true, force: true });
  }, 120_000);
});
