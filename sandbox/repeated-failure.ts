import type { SandboxLog } from './log.js';

export interface FailureMessages {
  /** Said when the failure starts. */
  failed: string;
  /** Said once when it is over. */
  recovered: string;
}

/**
 * Says a failure that repeats (a retry loop against a Docker that is down) once when it starts
 * and once when it ends: the retries in between go to debug, not to the operator's screen.
 */
export class RepeatedFailure {
  private failing = false;

  constructor(
    private readonly log: SandboxLog,
    private readonly messages: FailureMessages,
    private readonly level: 'warn' | 'error' = 'warn',
  ) {}

  failed(details: object): void {
    if (this.failing) return this.log.debug(details, `${this.messages.failed} (still)`);
    this.failing = true;
    this.log[this.level](details, this.messages.failed);
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.log.info({}, this.messages.recovered);
  }
}
