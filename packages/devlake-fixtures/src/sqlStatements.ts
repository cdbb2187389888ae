/**
 * The statements of a plain SQL script such as the devlake plugin's
 * sql/recommended-indexes.sql: whole-line `--` comments dropped, split on `;`.
 * Not a SQL parser: the scripts it reads hold no `;` inside literals.
 */
export function splitSqlStatements(script: string): string[] {
  return script
    .split('\n')
    .filter(line => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(';')
    .map(statement => statement.trim())
    .filter(Boolean);
}
