// mkdir -p, one level at a time. Node's own recursive mkdir never settles for a path under
// /proc (seen on Node 20: `mkdir('/proc/nope/x', { recursive: true })` spins forever), and
// a user may well point --log or --fixtures-dir at such a place by mistake; a plain mkdir
// of each missing level fails at once with the real reason instead.
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function makeDirectory(dir: string, mode: number): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    const found = await stat(at).then(
      (stats) => stats,
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        return null;
      },
    );
    if (found) break;
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const level of missing) {
    await mkdir(level, { mode }).catch((error: NodeJS.ErrnoException) => {
      // Made meanwhile by someone else: as good as made here.
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
