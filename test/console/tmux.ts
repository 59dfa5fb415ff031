import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const SESSION = 'chat';
const POLL_MS = 50;
// Keep the pane (and its exit status) after the program exits, without a line saying so; keep
// a long transcript.
const CONFIG = 'set -g remain-on-exit on\nset -g remain-on-exit-format ""\nset -g history-limit 10000\n';

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
    await terminal.tmux('-f', config, 'new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', ...variables, ...command);
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

  /** Everything shown so far, scrolled-off lines included, wrapped lines joined, no trailing blanks. */
  async screen(): Promise<string> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', SESSION);
    return stdout
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trimEnd();
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

  /** The program's process id. */
  async pid(): Promise<number> {
    return Number(await this.format('#{pane_pid}'));
  }

  /**
   * Waits for the program to exit and returns its exit status; fails if a signal ended it. The
   * default deadline is the bot's own for a stop (the run timeout plus 20 s), and a little more.
   */
  async exitStatus(timeoutMs = 40_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [dead, status, signal] = (await this.format('#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}')).split(':');
      if (dead === '1' && status !== '') return Number(status);
      if (dead === '1' && signal !== '') throw new Error(`the program was ended by signal ${signal}; the screen shows:\n${await this.screen()}`);
      if (Date.now() > deadline) throw new Error(`the program did not exit within ${timeoutMs} ms; the screen shows:\n${await this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /**
   * Ends the terminal and removes its files. A program still running is stopped as a service
   * would be (SIGTERM), so that it removes its sandboxes, before the terminal goes.
   */
  async close(): Promise<void> {
    const running = await this.format('#{pane_dead}').then((dead) => dead !== '1', () => false);
    if (running) {
      process.kill(await this.pid(), 'SIGTERM');
      await this.exitStatus().catch(() => {});
    }
    await this.tmux('kill-server').catch(() => {});
    await rm(this.folder, { recursive: true, force: true });
  }

  private async format(format: string): Promise<string> {
    const { stdout } = await this.tmux('display-message', '-p', '-t', SESSION, format);
    return stdout.trim();
  }

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    return exec('tmux', ['-L', this.socket, ...args], { timeout: 10_000 });
  }
}
