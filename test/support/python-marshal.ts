import { execFile } from 'node:child_process';
import { DEFAULT_IMAGE } from './sandbox.js';

/** Python's own reading of marshal bytes, in a sandbox image's interpreter, as JSON (bytes never appear). */
const LOADS = 'import json, marshal, sys; print(json.dumps(marshal.loads(sys.stdin.buffer.read()), ensure_ascii=False))';

export function pythonLoads(bytes: Buffer, image = DEFAULT_IMAGE): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = execFile('docker', ['run', '--rm', '-i', '--network', 'none', image, 'python3', '-c', LOADS], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python3 could not read it: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout));
    });
    child.stdin!.end(bytes);
  });
}
