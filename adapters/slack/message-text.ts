/**
 * Slack's wire format for message text → what the user typed. Slack encodes `&`, `<` and `>` as
 * entities and wraps links and mentions in angle brackets (`<https://x.py|x.py>`), so code read
 * straight from an event would not run: `print(1 &lt; 2)`. A literal `<` always arrives encoded,
 * so every `<…>` left in the text is one of Slack's own constructs.
 */
export function typedText(slackText: string): string {
  return slackText.replace(/<([^<>]*)>/g, unwrap).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A link shows its label (`<http://x.py|x.py>` was typed `x.py`), a bare URL itself; mentions stay. */
function unwrap(construct: string, inner: string): string {
  if (/^[@#!]/.test(inner)) return construct;
  const bar = inner.indexOf('|');
  return bar === -1 ? inner : inner.slice(bar + 1);
}
