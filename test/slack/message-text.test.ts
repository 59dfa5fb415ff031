import { describe, expect, it } from 'vitest';
import { typedText } from '../../adapters/slack/message-text.js';

describe('typedText: Slack message text → what the user typed', () => {
  it('decodes the three entities Slack encodes, &amp; last', () => {
    expect(typedText('print(1 &lt; 2 &gt; 0 &amp; True)')).toBe('print(1 < 2 > 0 & True)');
    expect(typedText('s = "&amp;lt;"')).toBe('s = "&lt;"');
  });

  it('turns links back into the text that was typed', () => {
    expect(typedText('open("<http://data.py|data.py>")')).toBe('open("data.py")');
    expect(typedText('url = "<https://example.com/a?b=1&amp;c=2>"')).toBe('url = "https://example.com/a?b=1&c=2"');
    expect(typedText('<mailto:a@b.io|a@b.io>')).toBe('a@b.io');
  });

  it('leaves mentions and special commands alone', () => {
    expect(typedText('<@U0BOT> run ```print(1)```')).toBe('<@U0BOT> run ```print(1)```');
    expect(typedText('<#C123|general> <!here>')).toBe('<#C123|general> <!here>');
  });
});
