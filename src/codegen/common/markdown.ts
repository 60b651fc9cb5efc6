/** Markdown text for emitted READMEs (every target writes README.md). */

/**
 * Lines of a Markdown indented code block (four spaces before every line):
 * nothing inside one is interpreted, so backticks, HTML or `*` in a spec's
 * name or description print as they are.
 */
export function markdownCodeBlock(value: string): string {
  return value.split(/\r\n|\r|\n|\u2028|\u2029/).map((l) => '    ' + l.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?')).join('\n');
}
