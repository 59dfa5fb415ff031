import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { attachedFiles, mayCarryToken, sharedFiles, slackDownloader, type SharedFile } from '../../adapters/slack/attachments.js';

const TOKEN = 'xoxb-test-token';

describe('which file links may carry the bot token', () => {
  const api = new URL('https://slack.com/api/');

  it.each([
    ['https://files.slack.com/files-pri/T1-F1/download/data.csv', true],
    ['https://slack.com/files-pri/T1-F1/data.csv', true],
    ['http://files.slack.com/files-pri/T1-F1/data.csv', false], // not over HTTPS
    ['https://files.slack.com.evil.example/files-pri/T1-F1/data.csv', false],
    ['https://evilslack.com/data.csv', false],
    ['https://docs.google.com/spreadsheets/d/1', false], // an external file
  ])('%s: %s', (link, allowed) => {
    expect(mayCarryToken(new URL(link), api)).toBe(allowed);
  });

  it('a configured API URL (a proxy, the tests’ fake) is trusted at its own origin only', () => {
    const proxy = new URL('http://127.0.0.1:8080/api/');
    expect(mayCarryToken(new URL('http://127.0.0.1:8080/files-pri/T1-F1/a.csv'), proxy)).toBe(true);
    expect(mayCarryToken(new URL('http://127.0.0.1:8081/files-pri/T1-F1/a.csv'), proxy)).toBe(false);
    expect(mayCarryToken(new URL('https://files.slack.com/files-pri/T1-F1/a.csv'), proxy)).toBe(false);
  });
});

describe('sharedFiles', () => {
  it('takes the download link when there is one, else url_private; a file shown only by id keeps its id and no link', () => {
    expect(
      sharedFiles([
        { id: 'F1', name: 'a.csv', size: 3, mimetype: 'text/csv', url_private: 'https://files.slack.com/a', url_private_download: 'https://files.slack.com/download/a' },
        { id: 'F2', name: null, title: 'b.txt', size: 1, url_private: 'https://files.slack.com/b' },
        { id: 'F3' },
      ]),
    ).toEqual([
      { name: 'a.csv', size: 3, mimetype: 'text/csv', url: 'https://files.slack.com/download/a' },
      { name: 'b.txt', size: 1, mimetype: undefined, url: 'https://files.slack.com/b' },
      { name: 'F3', size: 0, mimetype: undefined, url: undefined },
    ]);
    expect(sharedFiles(undefined)).toEqual([]);
  });

  it('attachedFiles lists them by name and size, downloading only when asked', async () => {
    const asked: string[] = [];
    const files = attachedFiles(sharedFiles([{ name: 'a.csv', size: 2, url_private: 'https://files.slack.com/a' }]), async (file) => {
      asked.push(file.name);
      return new Uint8Array([1, 2]);
    });
    expect(files.map(({ name, size }) => ({ name, size }))).toEqual([{ name: 'a.csv', size: 2 }]);
    expect(asked).toEqual([]);
    expect(await files[0]?.download()).toEqual(new Uint8Array([1, 2]));
    expect(asked).toEqual(['a.csv']);
  });
});

describe('slackDownloader (against a local server standing in for Slack)', () => {
  const servers: Server[] = [];

  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  /** Serves `answer` at 127.0.0.1 and records each request's path and Authorization header. */
  async function slack(answer: (req: IncomingMessage, res: ServerResponse) => void) {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.url} ${req.headers.authorization ?? '(none)'}`);
      answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { origin, requests, download: slackDownloader(TOKEN, `${origin}/api/`) };
  }

  const csv = (url: string): SharedFile => ({ name: 'data.csv', size: 4, mimetype: 'text/csv', url });

  it('sends the bot token as a bearer header and returns the bytes', async () => {
    const { origin, requests, download } = await slack((_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n'));
    expect(Buffer.from(await download(csv(`${origin}/files-pri/T1-F1/download/data.csv`))).toString()).toBe('a,b\n');
    expect(requests).toEqual([`/files-pri/T1-F1/download/data.csv Bearer ${TOKEN}`]);
  });

  it('a non-2xx answer is an error naming the status', async () => {
    const { origin, download } = await slack((_req, res) => res.writeHead(404).end());
    await expect(download(csv(`${origin}/files-pri/T1-F1/data.csv`))).rejects.toThrow('Slack answered 404');
  });

  it('a redirect is not followed: the token never reaches where it points', async () => {
    const target = await slack((_req, res) => res.writeHead(200).end('a,b\n'));
    const { origin, download } = await slack((_req, res) => res.writeHead(302, { location: `${target.origin}/stolen` }).end());
    await expect(download(csv(`${origin}/files-pri/T1-F1/data.csv`))).rejects.toThrow('Slack answered 302');
    expect(target.requests).toEqual([]);
  });

  it('a sign-in page instead of the file says which scope is missing', async () => {
    const { origin, download } = await slack((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html>'));
    await expect(download(csv(`${origin}/files-pri/T1-F1/data.csv`))).rejects.toThrow('the app needs the files:read scope');
  });

  it('a link elsewhere, or none, is refused before anything is sent', async () => {
    const { requests, download } = await slack((_req, res) => res.writeHead(200).end());
    await expect(download(csv('https://attacker.example/data.csv'))).rejects.toThrow(
      "it is on attacker.example, not on Slack, and the bot's token goes only to Slack",
    );
    await expect(download({ name: 'F3', size: 0, mimetype: undefined, url: undefined })).rejects.toThrow('Slack gave no link to download it');
    expect(requests).toEqual([]);
  });
});
