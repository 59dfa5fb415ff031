import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../sandbox/limits.js';
import type { RunFile, RunResult } from '../../sandbox/result.js';
import { CONSOLE, DISCORD, SLACK } from '../../src/platforms.js';
import { renderResult } from '../../src/render.js';
import { attachmentName } from '../../src/render-files.js';

/** The files a run left, in a reply: attached, shown, or counted as not sent; never markup. */

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const file = (name: string, content: string | Uint8Array): RunFile => ({
  name,
  bytes: typeof content === 'string' ? Buffer.from(content) : content,
});

function run(over: Partial<RunResult> = {}): RunResult {
  return {
    status: 'ok',
    exitCode: 0,
    signal: null,
    output: 'done\n',
    stdout: 'done\n',
    stderr: '',
    outputBytes: 5,
    durationMs: 100,
    files: [],
    filesLeftOut: {},
    python: null,
    ...over,
  };
}

describe('files in a reply', () => {
  it('attaches images with their content type, and shows a short JSON file under the output', () => {
    const reply = renderResult(run({ files: [file('figure-1.png', PNG), file('result.json', '{"answer": 42}\n')] }), DISCORD, DEFAULT_LIMITS);
    expect(reply.attachments.map(({ name, contentType }) => ({ name, contentType }))).toEqual([{ name: 'figure-1.png', contentType: 'image/png' }]);
    expect(reply.attachments[0]?.data).toEqual(Buffer.from(PNG));
    expect(reply.text).toBe('✅ done in 0.10 s\n```\ndone\n```\n📄 result.json\n```\n{"answer": 42}\n```');
  });

  it('attaches a text file too long to show, and one that is not UTF-8', () => {
    const long = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const reply = renderResult(run({ files: [file('log.txt', long), file('data.csv', new Uint8Array([0xff, 0xfe]))] }), SLACK, DEFAULT_LIMITS);
    expect(reply.attachments.map((a) => a.name)).toEqual(['log.txt', 'data.csv']);
    expect(reply.text).not.toContain('📄');
  });

  it('says in one line what was not sent and why, the sandbox’s reasons and the platform’s', () => {
    const many = Array.from({ length: 12 }, (_, i) => file(`p${i}.png`, PNG));
    const reply = renderResult(run({ files: many, filesLeftOut: { count: 3, size: 1 } }), DISCORD, DEFAULT_LIMITS);
    expect(reply.attachments).toHaveLength(10);
    expect(reply.text.split('\n').at(-1)).toBe('6 files not sent: over 10 attachments per message; over 10 files; over 8 MiB each');
  });

  it('output.txt takes an attachment’s place when the output is cut', () => {
    const output = 'x\n'.repeat(500);
    const many = Array.from({ length: 10 }, (_, i) => file(`p${i}.png`, PNG));
    const reply = renderResult(run({ output, stdout: output, files: many }), DISCORD, DEFAULT_LIMITS);
    expect(reply.attachments.map((a) => a.name)).toEqual(['output.txt', ...many.slice(0, 9).map((f) => f.name)]);
    expect(reply.text).toMatch(/\n1 file not sent: over 10 attachments per message$/);
    expect(reply.text.length).toBeLessThanOrEqual(DISCORD.maxChars);
  });

  it('a walk that stopped early says so without a count', () => {
    expect(renderResult(run({ filesLeftOut: { walk: 0 } }), CONSOLE, DEFAULT_LIMITS).text).toMatch(
      /\nsome files not sent: too many files and folders to look through$/,
    );
  });

  it('hostile names: no mention, no markup, no newline in a heading or a file name', () => {
    const reply = renderResult(run({ files: [file('@everyone\n<@123>.txt', 'hi'), file('a/b\u202e.png', PNG)] }), DISCORD, DEFAULT_LIMITS);
    expect(reply.text).not.toMatch(/@everyone|<@123>/);
    expect(reply.text).toContain('📄 @\u200beveryone\\_<@\u200b123\\>.txt'); // markdown escaped too
    expect(reply.attachments.map((a) => a.name)).toEqual(['a_b_.png']);
    const slack = renderResult(run({ files: [file('<!channel>.txt', 'hi')] }), SLACK, DEFAULT_LIMITS);
    expect(slack.text).toContain('📄 &lt;!channel&gt;.txt');
  });

  it('a file over the platform’s upload limit is not attached', () => {
    const big = file('big.bin', new Uint8Array(DISCORD.maxAttachmentBytes + 1));
    const reply = renderResult(run({ files: [big] }), DISCORD, { ...DEFAULT_LIMITS, files: { ...DEFAULT_LIMITS.files, fileKb: 20_000 } });
    expect(reply.attachments).toEqual([]);
    expect(reply.text).toMatch(/\n1 file not sent: over the upload limit \(10 MiB\)$/);
  });

  it('flattens folders in attachment names', () => {
    expect(attachmentName('plots/2024/a.png')).toBe('plots_2024_a.png');
  });
});
