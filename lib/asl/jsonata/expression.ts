/** AWS evaluates a string as JSONata only when it starts with '{%' and ends with '%}', with no space outside. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && isDelimited(value);
}

/** The expression between the delimiters, trimmed as AWS quotes it in causes: '{% $x %}' → '$x'.
 *  Text without delimiters is taken to be the expression already. */
export function jsonataExpressionText(text: string): string {
  return (isDelimited(text) ? text.slice(2, -2) : text).trim();
}

function isDelimited(text: string): boolean {
  return text.length >= 4 && text.startsWith('{%') && text.endsWith('%}');
}
