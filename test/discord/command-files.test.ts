import { describe, expect, it } from 'vitest';
import type { FakeSandbox } from '../support/fake-sandbox.js';
import { buttonIds, startHarness, type Harness } from './harness.js';

/** `/run file:` and `/timeit file:`: a command has no message to attach a file to, so it takes one as an option. */

const DATA = { name: 'data.csv', content: 'name,n\na,1\nb,2\n' };

/** What each run was asked for, its files as names and text. */
function runs(h: Harness) {
  return (h.sandbox as FakeSandbox).calls.map(({ files, ...input }) => ({
    ...input,
    files: files?.map((file) => [file.name, Buffer.from(file.bytes).toString('utf8')]),
  }));
}

describe('a file given with /run or /timeit on Discord', { timeout: 20_000 }, () => {
  it('is in the working directory of a run with code, and of "Run again" and "Run in 3.14" on its result', async () => {
    const h = await startHarness();
    const command = h.fake.slashCommand({ name: 'run', options: { code: 'print(open("data.csv").read())', file: DATA } });
    const response = await h.responseTo(command);
    for (const customId of buttonIds(response).slice(0, 2)) {
      const pressed = h.fake.buttonClick({ customId, message: response.id });
      await h.fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${h.fake.applicationId}/${pressed.token}/messages/@original` });
    }
    const withData = { code: 'print(open("data.csv").read())', files: [[DATA.name, DATA.content]] };
    expect(runs(h)).toEqual([withData, withData, { ...withData, python: '3.14' }]);
  });

  it('waits for the code typed in the editor, which keeps the version too', async () => {
    const h = await startHarness();
    const run = h.fake.slashCommand({ name: 'run', options: { file: DATA } });
    expect((await run.waitForCallback()).body.type).toBe(9);
    expect(run.record.modal?.custom_id).toBe(`sandpiper:code::${run.id}`);
    await h.responseTo(h.fake.modalSubmit({ from: run, fields: { code: 'import csv\nprint(len(list(csv.reader(open("data.csv")))))' } }));

    const timeit = h.fake.slashCommand({ name: 'timeit', options: { version: '3.14', file: DATA } });
    await timeit.waitForCallback();
    expect(timeit.record.modal?.custom_id).toBe(`sandpiper:timeit:3.14:${timeit.id}`);
    await h.responseTo(h.fake.modalSubmit({ from: timeit, fields: { code: 'open("data.csv").read()' } }));
    expect(runs(h)).toEqual([
      { code: 'import csv\nprint(len(list(csv.reader(open("data.csv")))))', files: [[DATA.name, DATA.content]] },
      { code: 'open("data.csv").read()', timeit: { setup: '' }, python: '3.14', files: [[DATA.name, DATA.content]] },
    ]);
  });

  it('runs nothing when the editor comes back after its file was forgotten, and says so privately', async () => {
    const h = await startHarness();
    const submit = h.fake.modalSubmit({ customId: 'sandpiper:code::1234567890123456789', fields: { code: 'print(open("data.csv").read())' } });
    const told = await submit.waitForCallback();
    expect(told.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(told.body.data.content).toMatch(/^Not run: the file given with \/run is no longer kept .*Use \/run again with the file\.$/);
    expect(runs(h)).toEqual([]);
  });

  it('refuses a file over the limit privately, saying which and why, and runs nothing', async () => {
    const h = await startHarness({ env: { SANDBOX_FILE_KB: '1' } });
    const command = h.fake.slashCommand({ name: 'run', options: { code: 'print(1)', file: { name: 'big.csv', content: 'x'.repeat(2048) } } });
    const told = await command.waitForCallback();
    expect(told.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Not run: big.csv is 2 KiB, over the limit of 1 KiB per file.' } });
    expect(runs(h)).toEqual([]);
  });
});
