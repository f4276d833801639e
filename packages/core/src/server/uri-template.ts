/**
 * RFC 6570 URI templates (levels 1-4) for MCP resource templates: expansion, and matching a
 * concrete URI back to its variables.
 *
 * Matching compiles to one anchored RegExp in the constructor. Its groups are negated character
 * classes that exclude the first character of whatever may follow them, so every group but the
 * last has a single possible end and the engine never tries quadratic (or worse) splits; URIs over
 * 64 KiB are refused before the RegExp runs. Where a template is ambiguous (`{a}-{b}` with "x-y-z")
 * this picks one reading deterministically: earlier groups stop at the first separator.
 */

interface Operator {
  readonly char: string;
  readonly first: string;
  readonly separator: string;
  readonly named: boolean;
  readonly ifEmpty: string;
  readonly allowReserved: boolean;
  /** Characters a value of this operator never contains unencoded when matching. */
  readonly excluded: string;
}

/** RFC 6570 section 3.2.1's table, for the operator `char` ("" for simple expansion). */
function operator(char: string): Operator {
  const allowReserved = char === "+" || char === "#";
  const query = char === "?" || char === "&";
  return {
    char,
    first: char === "+" ? "" : char,
    separator: char === "" || allowReserved ? "," : query ? "&" : char,
    named: query || char === ";",
    ifEmpty: query ? "=" : "",
    allowReserved,
    excluded: allowReserved ? "" : query ? "#" : char === "/" ? "?#" : "/?#",
  };
}

const OPERATORS = "+#./;?&";

interface VariableSpec {
  readonly name: string;
  readonly explode: boolean;
  readonly prefix: number | undefined;
}

interface Expression {
  readonly operator: Operator;
  readonly variables: readonly VariableSpec[];
}

type Token = string | Expression;

/** How one capture group turns back into variables. */
type Capture =
  | { readonly kind: "values"; readonly operator: Operator; readonly variables: readonly VariableSpec[] }
  | { readonly kind: "pairs"; readonly separator: string; readonly variables: ReadonlyMap<string, VariableSpec> };

export type UriTemplateVariables = Record<string, string | string[] | undefined>;

const MAX_URI_LENGTH = 64 * 1024;
const VARSPEC = /^((?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*)(?:(\*)|:([1-9]\d{0,3}))?$/;
const RESERVED_OPERATORS = "=,!@|";

export class UriTemplate {
  readonly template: string;
  readonly variableNames: readonly string[];
  readonly #tokens: readonly Token[];
  readonly #matcher: RegExp;
  readonly #captures: readonly (Capture | undefined)[];

  constructor(template: string) {
    this.template = template;
    this.#tokens = parse(template);
    const names = this.#tokens.flatMap((token) =>
      typeof token === "string" ? [] : token.variables.map((v) => v.name),
    );
    this.variableNames = [...new Set(names)];
    const { source, captures } = compileMatcher(this.#tokens);
    this.#matcher = new RegExp(source);
    this.#captures = captures;
  }

  /** Whether a resource URI is a template (holds at least one `{expression}`) rather than a fixed URI. */
  static isTemplate(value: string): boolean {
    return /\{[^{}]+\}/.test(value);
  }

  /**
   * The variables of a URI this template could have produced, percent-decoded, or undefined. A value
   * holding an unencoded list separator (",", or a repeated exploded name) comes back as a list.
   */
  match(uri: string): Record<string, string | string[]> | undefined {
    if (uri.length > MAX_URI_LENGTH) return undefined;
    const found = this.#matcher.exec(uri);
    if (found === null) return undefined;
    const result: Record<string, string | string[]> = {};
    for (let i = 1; i < found.length; i++) {
      const capture = this.#captures[i];
      const raw = found[i];
      if (capture === undefined || raw === undefined) continue;
      if (capture.kind === "pairs") readPairs(raw, capture.separator, capture.variables, result);
      else readValues(raw, capture.operator, capture.variables, result);
    }
    return result;
  }

  /** Builds a URI; undefined variables and empty lists are left out, as RFC 6570 specifies. */
  expand(variables: UriTemplateVariables): string {
    let out = "";
    for (const token of this.#tokens) out += typeof token === "string" ? token : expandExpression(token, variables);
    return out;
  }

  toString(): string {
    return this.template;
  }
}

// ---- parsing ---------------------------------------------------------------------------------------

function parse(template: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf("{", at);
    if (open < 0) {
      tokens.push(template.slice(at));
      break;
    }
    if (open > at) tokens.push(template.slice(at, open));
    const close = template.indexOf("}", open);
    if (close < 0) throw new TypeError(`URI template has an unclosed "{": ${template}`);
    tokens.push(parseExpression(template.slice(open + 1, close), template));
    at = close + 1;
  }
  return tokens;
}

function parseExpression(body: string, template: string): Expression {
  const lead = body.charAt(0);
  if (RESERVED_OPERATORS.includes(lead) && lead !== "") {
    throw new TypeError(`URI template uses the reserved operator "${lead}": ${template}`);
  }
  const op = operator(lead !== "" && OPERATORS.includes(lead) ? lead : "");
  const list = op.char === "" ? body : body.slice(1);
  const variables = list.split(",").map((spec): VariableSpec => {
    const parsed = VARSPEC.exec(spec);
    const name = parsed?.[1];
    if (parsed === null || name === undefined) {
      throw new TypeError(`URI template has an invalid variable "${spec}": ${template}`);
    }
    // Matched variables become keys of a plain object; this one would set its prototype instead.
    if (name === "__proto__") throw new TypeError(`URI template variable name "__proto__" is not allowed: ${template}`);
    return { name, explode: parsed[2] === "*", prefix: parsed[3] === undefined ? undefined : Number(parsed[3]) };
  });
  return { operator: op, variables };
}

// ---- matching --------------------------------------------------------------------------------------

/** `{?a}{&b}` is one query string whose parameters may come in any order: match it as one unit. */
function mergeQueries(tokens: readonly Token[]): Token[] {
  const merged: Token[] = [];
  for (const token of tokens) {
    const previous = merged[merged.length - 1];
    if (
      typeof token !== "string" &&
      token.operator.char === "&" &&
      previous !== undefined &&
      typeof previous !== "string" &&
      (previous.operator.char === "?" || previous.operator.char === "&")
    ) {
      merged[merged.length - 1] = {
        operator: previous.operator,
        variables: [...previous.variables, ...token.variables],
      };
    } else {
      merged.push(token);
    }
  }
  return merged;
}

function compileMatcher(tokens: readonly Token[]): { source: string; captures: (Capture | undefined)[] } {
  const parts = mergeQueries(tokens);
  const captures: (Capture | undefined)[] = [undefined];
  let lastExpression = -1;
  parts.forEach((part, index) => {
    if (typeof part !== "string") lastExpression = index;
  });
  let source = "^";
  parts.forEach((part, index) => {
    if (typeof part === "string") {
      source += escapeRegExp(part);
      return;
    }
    const { operator, variables } = part;
    const following = followingStart(parts, index);
    // The last group may span its separators: only literals follow it, so each possible end is
    // checked in constant time. Earlier groups stop before whatever comes next.
    const stops = index === lastExpression ? "" : following.chars;
    const single = variables.length === 1 && variables[0]?.explode === false;
    const excluded = operator.char === "/" && single ? "/?#" : operator.excluded;
    const valueClass = negatedClass(excluded + stops);
    const bare = operator.first === "";
    const previous = parts[index - 1];
    const afterExpression = previous !== undefined && typeof previous !== "string";
    // A bare group cannot be absent; it needs a character unless another group precedes it directly.
    const quantifier = bare && !afterExpression ? "+" : "*";
    const group = captures.length;
    captures.push(
      operator.named
        ? { kind: "pairs", separator: operator.separator, variables: new Map(variables.map((v) => [v.name, v])) }
        : { kind: "values", operator, variables },
    );
    // Followed directly by a bare group, nothing delimits this one: make it atomic (lookahead plus
    // backreference) so the two never trade characters back and forth.
    const body = following.bare ? `(?=(${valueClass}${quantifier}))\\${group}` : `(${valueClass}${quantifier})`;
    source += bare ? body : `(?:${escapeRegExp(operator.first)}${body})?`;
  });
  return { source: `${source}$`, captures };
}

/** The characters that can start what follows token `index`, up to the first token that must be present. */
function followingStart(parts: readonly Token[], index: number): { chars: string; bare: boolean } {
  let chars = "";
  for (let i = index + 1; i < parts.length; i++) {
    const next = parts[i] as Token;
    if (typeof next === "string") return { chars: chars + next.charAt(0), bare: false };
    if (next.operator.first === "") return { chars, bare: i === index + 1 };
    chars += next.operator.first;
  }
  return { chars, bare: false };
}

function negatedClass(excluded: string): string {
  const unique = [...new Set(excluded)];
  if (unique.length === 0) return "[\\s\\S]";
  return `[^${unique.map((c) => (/[\\\]^[-]/.test(c) ? `\\${c}` : c)).join("")}]`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function decode(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    // A malformed escape ("100%") is handed over as written rather than failing the whole match.
    return text;
  }
}

/** A value with an unencoded comma was a list (expansion encodes commas inside values), except for reserved expansion. */
function listOrString(raw: string, operator: Operator): string | string[] {
  return !operator.allowReserved && raw.includes(",") ? raw.split(",").map(decode) : decode(raw);
}

function readValues(
  raw: string,
  operator: Operator,
  variables: readonly VariableSpec[],
  out: Record<string, string | string[]>,
): void {
  const [only] = variables;
  if (variables.length === 1 && only !== undefined) {
    out[only.name] = only.explode ? raw.split(operator.separator).map(decode) : listOrString(raw, operator);
    return;
  }
  const parts = raw.split(operator.separator);
  variables.forEach((variable, i) => {
    if (i >= parts.length) return;
    const last = i === variables.length - 1;
    if (variable.explode) out[variable.name] = last ? parts.slice(i).map(decode) : [decode(parts[i] as string)];
    else
      out[variable.name] = listOrString(
        last ? parts.slice(i).join(operator.separator) : (parts[i] as string),
        operator,
      );
  });
}

function readPairs(
  raw: string,
  separator: string,
  variables: ReadonlyMap<string, VariableSpec>,
  out: Record<string, string | string[]>,
): void {
  for (const pair of raw.split(separator)) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const spec = variables.get(decode(equals < 0 ? pair : pair.slice(0, equals)));
    // Parameters the template does not name (tracking tags and the like) are ignored, not refused.
    if (spec === undefined) continue;
    const value = equals < 0 ? "" : pair.slice(equals + 1);
    if (spec.explode) {
      const items = out[spec.name];
      if (Array.isArray(items)) items.push(decode(value));
      else out[spec.name] = [decode(value)];
    } else {
      out[spec.name] = value.includes(",") ? value.split(",").map(decode) : decode(value);
    }
  }
}

// ---- expansion -------------------------------------------------------------------------------------

function expandExpression(expression: Expression, variables: UriTemplateVariables): string {
  const { operator } = expression;
  const pieces: string[] = [];
  for (const spec of expression.variables) {
    // Own properties only: a variable named "constructor" must not expand Object.prototype's.
    const value = Object.hasOwn(variables, spec.name) ? variables[spec.name] : undefined;
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    const encode = (text: string) => (operator.allowReserved ? encodeReserved(text) : encodeUnreserved(text));
    const named = (encoded: string) =>
      operator.named ? (encoded === "" ? `${spec.name}${operator.ifEmpty}` : `${spec.name}=${encoded}`) : encoded;
    if (!Array.isArray(value)) {
      const text = String(value);
      pieces.push(named(encode(spec.prefix === undefined ? text : [...text].slice(0, spec.prefix).join(""))));
    } else if (spec.explode) {
      pieces.push(value.map((item) => named(encode(String(item)))).join(operator.separator));
    } else {
      pieces.push(named(value.map((item) => encode(String(item))).join(",")));
    }
  }
  return pieces.length === 0 ? "" : operator.first + pieces.join(operator.separator);
}

function encodeChar(char: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(char);
  } catch {
    return "%EF%BF%BD"; // A lone surrogate has no UTF-8 form; RFC 3629 says U+FFFD.
  }
  // encodeURIComponent leaves !'()* alone, but RFC 6570 encodes them outside reserved expansion.
  return encoded === char ? `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}` : encoded;
}

function encodeUnreserved(text: string): string {
  return text.replace(/[^A-Za-z0-9\-._~]/gu, encodeChar);
}

function encodeReserved(text: string): string {
  // Reserved characters and existing %XX escapes pass through; a stray "%" is encoded.
  return text.replace(/%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/gu, (match) =>
    match.length === 3 ? match : encodeChar(match),
  );
}
