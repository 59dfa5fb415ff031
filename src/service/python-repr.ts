/**
 * JSON values written as Python's repr() writes them: snekbox's validation messages come from
 * jsonschema, which quotes the offending value that way (`{'stuff': 'foo'} is not valid under any
 * of the given schemas`), and clients may show or match them.
 */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as object)
    .map(([key, item]) => `${quote(key)}: ${pythonRepr(item)}`)
    .join(', ')}}`;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Single quotes, unless the text has one and no double quote (as Python picks). */
function quote(text: string): string {
  const mark = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text.replace(/[\\\n\r\t\x00-\x1f\x7f]|['"]/g, (char) => {
    if (char === mark) return `\\${char}`;
    if (char === "'" || char === '"') return char;
    return ESCAPES[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `${mark}${body}${mark}`;
}
