// Running the built CLI as another user (`nobody`), for the tests that need a file to be
// really unreadable: root reads through any mode bits. A checkout inside a directory only
// its owner may enter (a container's /root) is out of that user's reach, so the package's
// runtime (dist/, package.json and its production dependencies) is then copied to a
// directory it can reach, once per test file; so is the Node binary when it sits out of
// reach too (CI's Node 24 comes from a private temporary directory).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, cp, link, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from './cli-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** uid and gid to spawn with: `nobody` when the tests run as root, else the current user. */
export const OTHER_USER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

export interface ReachableCli {
  /** The Node binary to run it with. */
  node: string;
  path: string;
  dispose(): Promise<void>;
}

function runsAsOtherUser(node: string, cli: string): boolean {
  return spawnSync(node, [cli, '--version'], { ...OTHER_USER, stdio: 'ignore' }).status === 0;
}

/** The built CLI where the other user can run it: in place when it can, else a copy. */
export async function reachableCli(): Promise<ReachableCli> {
  if (runsAsOtherUser(process.execPath, CLI)) return { node: process.execPath, path: CLI, dispose: async () => {} };
  const copy = await mkdtemp(join(tmpdir(), 'coreone-other-user-'));
  const production = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((dir) => dir.startsWith(join(ROOT, 'node_modules')));
  for (const part of ['dist', 'package.json', ...production.map((dir) => relative(ROOT, dir))]) {
    await cp(join(ROOT, part), join(copy, part), { recursive: true });
  }
  await chmod(copy, 0o755);
  const path = join(copy, relative(ROOT, CLI));
  let node = process.execPath;
  if (!runsAsOtherUser(node, path)) {
    node = join(copy, 'node');
    // A hard link reaches the same file through a directory the other user may enter, and
    // costs nothing; a copy of the binary (some 120 MB) took 30 s and more while the rest of
    // the suite ran beside it. Only across file systems is it copied.
    await link(process.execPath, node).catch(() => cp(process.execPath, node));
  }
  if (!runsAsOtherUser(node, path)) throw new Error(`The other user (uid 65534) cannot run the CLI even from ${copy}.`);
  return { node, path, dispose: () => rm(copy, { recursive: true, force: true }) };
}
