// `listen --open`: the web inspector's uiUrl in the user's default browser, through the
// platform's own opener. It says so when it cannot: no opener installed, or one that failed.
import { spawn } from 'node:child_process';

/** The opener of each platform, and how it takes a URL. */
export function openerFor(platform: NodeJS.Platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [] };
  // `start` is a cmd built-in; its first quoted argument is a window title.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/** Opens the URL; resolves with null once the opener is done, or one sentence saying why not. */
export function openInBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  const { command, args } = openerFor(platform);
  return new Promise((resolve) => {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: platform !== 'win32' });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? `${command} is not installed` : `${command} failed (${error.message})`;
      resolve(`Could not open a browser: ${why}. Open the web inspector yourself: ${url}`);
    });
    child.on('exit', (code) => resolve(code === 0 ? null : `Could not open a browser: ${command} exited with status ${code}. Open the web inspector yourself: ${url}`));
    // The opener may outlive us (a browser it started); it must not keep listen alive.
    child.unref();
  });
}
