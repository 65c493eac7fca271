// The tunnel options of `listen` (cli/options/tunnel.ts), parsed by a real commander command.
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { addTunnelOptions } from '../../../cli/options/tunnel.js';
import { UsageError } from '../../../cli/errors.js';

describe('tunnel options', () => {
  function parse(args: string[]): Record<string, unknown> {
    const cmd = addTunnelOptions(new Command('listen').exitOverride().configureOutput({ writeErr: () => {} }));
    cmd.parse(args, { from: 'user' });
    return cmd.opts();
  }

  it('defaults to the public server with the tunnel on', () => {
    expect(parse([])).toEqual({ tunnel: true, tunnelHost: 'https://localtunnel.me' });
    expect(parse(['--no-tunnel']).tunnel).toBe(false);
  });

  it('takes a self-hosted server as its bare origin', () => {
    expect(parse(['--tunnel-host', 'http://localhost:1234/']).tunnelHost).toBe('http://localhost:1234');
    expect(parse(['--tunnel-host', 'https://LT.Example.com']).tunnelHost).toBe('https://lt.example.com');
  });

  it.each([
    ['not a url', /is not a URL/],
    ['ftp://lt.example.com', /must be an http:\/\/ or https:\/\/ URL/],
    ['https://lt.example.com/tunnels', /without a path, query or credentials/],
  ])('refuses --tunnel-host %s with a usage error', (value, message) => {
    expect(() => parse(['--tunnel-host', value])).toThrow(UsageError);
    expect(() => parse(['--tunnel-host', value])).toThrow(message);
  });

  it('accepts a valid subdomain', () => {
    expect(parse(['--subdomain', 'my-lab-01']).subdomain).toBe('my-lab-01');
  });

  it.each(['abc', 'My-Lab', 'lab_01', '-lab1', 'lab1-', 'x'.repeat(64)])('refuses --subdomain %s before asking any server', (value) => {
    let error: unknown;
    try {
      parse(['--subdomain', value]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).code).toBe('commander.invalidArgument');
  });
});
