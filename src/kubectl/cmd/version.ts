/**
 * kubectl version: our client version and the server's (/version).
 *
 * Our client says `v1.33.1` because it reproduces kubectl 1.33.1's behaviour (the version the golden
 * suite compares against); there is no Kustomize line because we have no kustomize. The build fields
 * of `-o json|yaml` that only make sense for a Go build are left empty rather than invented.
 */
import { KubectlError } from '../client/errors.js';
import type { Command } from '../command.js';
import { orderedJson } from './config/ordered-json.js';
import { printYaml } from '../printers/yaml.js';

export const CLIENT_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.1',
  gitCommit: '',
  gitTreeState: '',
  buildDate: '',
  goVersion: '',
  compiler: 'kube-tutor',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export const version: Command = {
  name: 'version',
  short: 'Print the client and server versions',
  group: 'other',
  usage: 'kubectl version [flags] [options]',
  example: 'kubectl version\nkubectl version --client\nkubectl version -o json',
  flags: [
    { name: 'client', type: 'bool', usage: 'Only the client version (no server needed).' },
    { name: 'output', short: 'o', type: 'string', usage: "'yaml' or 'json'." },
  ],
  validate(inv) {
    const o = inv.str('output');
    if (o && o !== 'yaml' && o !== 'json') throw new KubectlError("--output must be 'yaml' or 'json'");
  },
  async run(inv) {
    const doc: Record<string, unknown> = { clientVersion: CLIENT_VERSION };
    let serverError: unknown;
    if (!inv.bool('client')) {
      try {
        const client = await inv.client();
        doc.serverVersion = await client.rest.json('/version');
      } catch (e) {
        serverError = e;
      }
    }
    const o = inv.str('output');
    if (o === 'json') inv.out.write(orderedJson(doc, '  '));
    else if (o === 'yaml') inv.out.write(printYaml(doc));
    else {
      let text = `Client Version: ${CLIENT_VERSION.gitVersion}\n`;
      const sv = doc.serverVersion as { gitVersion?: string; major?: string; minor?: string } | undefined;
      if (sv) {
        text += `Server Version: ${sv.gitVersion}\n`;
        const minor = parseInt(String(sv.minor ?? ''), 10);
        if (sv.major === '1' && Number.isFinite(minor) && Math.abs(minor - 33) > 1)
          text += `WARNING: version difference between client (1.33) and server (1.${minor}) exceeds the supported minor version skew of +/-1\n`;
      }
      inv.out.write(text);
    }
    if (serverError) throw serverError;
  },
};
