/** The part of a pino logger the sandbox uses (the sandbox layer never imports the core). */
export interface SandboxLog {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const SILENT_LOG: SandboxLog = { debug() {}, info() {}, warn() {}, error() {} };
