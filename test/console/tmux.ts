import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const SESSION = 'chat';
const POLL_MS = 50;
// Keep the screen after the program exits, without a line saying so; keep a long transcript.
const CONFIG = 'set -g remain-on-exit on\nset -g remain-on-exit-format ""\nset -g history-limit 10000\n';
// tmux (3.3a) does not always reap the pane's process, and then never learns its exit status:
// a shell runs the program and writes the status to a file ($0) instead.
const RECORD_EXIT_STATUS = '"$@"; echo $? > "$0"';

let opened = 0;

/**
 * A real pseudo-terminal, as a person's: tmux runs the program, tests type with send-keys, paste
 * with paste-buffer (bracketed only if the program asked the terminal for it, as a terminal
 * would) and read the screen with capture-pane. Each terminal has its own tmux server.
 */
export class TmuxTerminal {
  private constructor(
    private readonly socket: string,
    private readonly folder: string,
  ) {}

  /** Runs `command` (no shell) in a 120×40 terminal, with `env` added to the environment. */
  static async open(command: string[], env: Record<string, string> = {}): Promise<TmuxTerminal> {
    const folder = await mkdtemp(join(tmpdir(), 'sandpiper-tmux-'));
    const config = join(folder, 'tmux.conf');
    await writeFile(config, CONFIG);
    const terminal = new TmuxTerminal(`sandpiper-test-${process.pid}-${++opened}`, folder);
    const variables = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
    const recorded = ['sh', '-c', RECORD_EXIT_STATUS, terminal.statusFile, ...command];
    await terminal.tmux('-f', config, 'new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', ...variables, ...recorded);
    // From here on, every byte the program writes is also kept as it is (escape sequences included).
    await terminal.tmux('pipe-pane', '-o', '-t', SESSION, `cat >> '${terminal.outputFile}'`);
    return terminal;
  }

  /** Types `text` as keys (no Enter). */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', SESSION, '-l', text);
  }

  /** Presses keys by tmux's names: Enter, C-c, C-d. */
  async press(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', SESSION, ...keys);
  }

  /** Pastes `text` as a terminal does: line breaks as Enter, inside paste brackets if asked for. */
  async paste(text: string): Promise<void> {
    await this.tmux('set-buffer', '-b', 'paste', text);
    await this.tmux('paste-buffer', '-p', '-d', '-b', 'paste', '-t', SESSION);
  }

  /** Makes the window `columns` wide, as a person dragging its edge. */
  async resize(columns: number): Promise<void> {
    await this.tmux('resize-window', '-t', SESSION, '-x', String(columns));
  }

  /** Everything shown so far, scrolled-off lines included, wrapped lines joined, no trailing blanks. */
  async screen(): Promise<string> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', SESSION);
    return stdout
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trimEnd();
  }

  /** What the program wrote since it started, byte for byte: what the screen shows is made of it. */
  async output(): Promise<string> {
    return readFile(this.outputFile, 'utf8').catch(() => '');
  }

  /** Waits until the screen satisfies `ready`, and returns it; fails after `timeoutMs`, showing it. */
  async waitFor(what: string, ready: (screen: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      if (ready(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; the screen shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** The program's process id (the recording shell's only child). */
  async pid(): Promise<number> {
    const shell = await this.format('#{pane_pid}');
    const { stdout } = await exec('ps', ['-o', 'pid=', '--ppid', shell]);
    const pid = Number(stdout.trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error('the program is not running');
    return pid;
  }

  /**
   * Waits for the program to exit and returns its exit status (128 + n for signal n). The
   * default deadline is the bot's own for a stop (the run timeout plus 20 s), and a little more.
   */
  async exitStatus(timeoutMs = 40_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.recordedStatus();
      if (status !== undefined) return status;
      if (Date.now() > deadline) throw new Error(`the program did not exit within ${timeoutMs} ms; the screen shows:\n${await this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * Ends the terminal and removes its files. A program still running is stopped as a service
   * would be (SIGTERM), so that it removes its sandboxes, before the terminal goes.
   */
  async close(): Promise<void> {
    if ((await this.recordedStatus()) === undefined) {
      const pid = await this.pid().catch(() => undefined);
      if (pid !== undefined) process.kill(pid, 'SIGTERM');
      await this.exitStatus().catch(() => {});
    }
    await this.tmux('kill-server').catch(() => {});
    await rm(this.folder, { recursive: true, force: true });
  }

  private get statusFile(): string {
    return join(this.folder, 'status');
  }

  private get outputFile(): string {
    return join(this.folder, 'output');
  }

  /** The exit status, once the program has exited (the file is written whole, after the exit). */
  private async recordedStatus(): Promise<number | undefined> {
    const text = await readFile(this.statusFile, 'utf8').catch(() => '');
    return text.endsWith('\n') ? Number(text) : undefined;
  }

  private async format(format: string): Promise<string> {
    const { stdout } = await this.tmux('display-message', '-p', '-t', SESSION, format);
    return stdout.trim();
  }

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    return exec('tmux', ['-L', this.socket, ...args], { timeout: 10_000 });
  }
}
