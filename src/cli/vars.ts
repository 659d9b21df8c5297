/**
 * Variables from the command line: `--var name=value` (repeatable) and `--vars file.json`.
 * A value that is JSON (`5`, `true`, `null`, `{"a":1}`, `[1,2]`, `"text"`) is taken as
 * JSON; anything else is text (`--var file=/tmp/a.txt`, `--var id=007`). `--var`
 * values win over the file's.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProcosError } from '../common/errors.js';
import type { JsonValue, Variables } from '../common/json.js';
import { CliErrors } from './errors.js';

const NAME = /^[A-Za-z_$][\w$.-]*$/;

/** Parses one `name=value`. @throws PROCOS_CLI_BAD_VARIABLE */
export function parseVar(arg: string): [string, JsonValue] {
  const eq = arg.indexOf('=');
  if (eq <= 0) {
    throw new ProcosError(CliErrors.BAD_VARIABLE, `--var ${JSON.stringify(arg)}: expected name=value, e.g. --var file=/tmp/notes.txt`, { argument: arg });
  }
  const name = arg.slice(0, eq).trim();
  const raw = arg.slice(eq + 1);
  if (!NAME.test(name)) {
    throw new ProcosError(CliErrors.BAD_VARIABLE, `--var ${JSON.stringify(arg)}: "${name}" is not a variable name (letters, digits, _ and $, not starting with a digit)`, { argument: arg });
  }
  return [name, parseValue(raw)];
}

/** JSON when the text is JSON, else the text itself. */
export function parseValue(raw: string): JsonValue {
  const t = raw.trim();
  if (/^(-?\d|true$|false$|null$|[[{"])/.test(t)) {
    try {
      return JSON.parse(t) as JsonValue;
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * Merges `--vars <file>` (a JSON object) and `--var` arguments.
 * @throws PROCOS_CLI_BAD_VARIABLE a bad `--var`, or a file that is not a JSON object.
 * @throws PROCOS_CLI_FILE_UNREADABLE the file cannot be read.
 */
export function collectVariables(vars: readonly string[] = [], varsFile: string | undefined, cwd: string): Variables {
  const out: Variables = {};
  if (varsFile !== undefined) {
    const path = resolve(cwd, varsFile);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ProcosError(CliErrors.FILE_UNREADABLE, `--vars ${varsFile}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file: path });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new ProcosError(CliErrors.BAD_VARIABLE, `--vars ${varsFile}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, { argument: varsFile });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ProcosError(CliErrors.BAD_VARIABLE, `--vars ${varsFile}: expected a JSON object of variables, like {"file": "/tmp/notes.txt"}`, { argument: varsFile });
    }
    Object.assign(out, parsed as Variables);
  }
  for (const v of vars) {
    const [name, value] = parseVar(v);
    out[name] = value;
  }
  return out;
}
