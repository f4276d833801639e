/**
 * RFC 6570 URI templates (levels 1-4) for resource templates: expansion, and matching a concrete
 * URI back to its variables. The matcher is compiled to one RegExp at construction; its groups are
 * negated character classes separated by literals, so matching is linear (no catastrophic backtracking).
 */

interface Operator {
  first: string;
  separator: string;
  named: boolean;
  ifEmpty: string;
  allowReserved: boolean;
}

const OPERATORS: Record<string, Operator> = {
  "": { first: "", separator: ",", named: false, ifEmpty: "", allowReserved: false },
  "+": { first: "", separator: ",", named: false, ifEmpty: "", allowReserved: true },
  "#": { first: "#", separator: ",", named: false, ifEmpty: "", allowReserved: true },
  ".": { first: ".", separator: ".", named: false, ifEmpty: "", allowReserved: false },
  "/": { first: "/", separator: "/", named: false, ifEmpty: "", allowReserved: false },
  ";": { first: ";", separator: ";", named: true, ifEmpty: "", allowReserved: false },
  "?": { first: "?", separator: "&", named: true, ifEmpty: "=", allowReserved: false },
  "&": { first: "&", separator: "&", named: true, ifEmpty: "=", allowReserved: false },
};

interface VariableSpec {
  name: string;
  explode: boolean;
  prefix: number | undefined;
}

interface Expression {
  operator: Operator;
  operatorChar: string;
  variables: VariableSpec[];
}

type Part = string | Expression;

const MAX_URI_LENGTH = 64 * 1024;
const VARIABLE = /^([A-Za-z0-9_.%]+)(\*|:(\d{1,4}))?$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function encode(value: string, allowReserved: boolean): string {
  return allowReserved
    ? encodeURI(value).replaceAll("%25", "%")
    : encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function parse(template: string): Part[] {
  const parts: Part[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf("{", at);
    if (open < 0) {
      parts.push(template.slice(at));
      break;
    }
    if (open > at) parts.push(template.slice(at, open));
    const close = template.indexOf("}", open);
    if (close < 0) throw new TypeError(`Unclosed expression in URI template: ${template}`);
    let body = template.slice(open + 1, close);
    const operatorChar = body[0] !== undefined && body[0] in OPERATORS && body[0] !== "" ? body[0] : "";
    if (operatorChar) body = body.slice(1);
    const operator = OPERATORS[operatorChar] as Operator;
    const variables = body.split(",").map((spec) => {
      const match = VARIABLE.exec(spec.trim());
      if (!match?.[1]) throw new TypeError(`Invalid variable "${spec}" in URI template: ${template}`);
      return {
        name: match[1],
        explode: match[2] === "*",
        prefix: match[3] === undefined ? undefined : Number(match[3]),
      };
    });
    parts.push({ operator, operatorChar, variables });
    at = close + 1;
  }
  return parts;
}

export class UriTemplate {
  readonly template: string;
  readonly variableNames: readonly string[];
  readonly #parts: Part[];
  readonly #matcher: RegExp;
  /** For each capture group: the variable it fills and how to split it. */
  readonly #groups: Array<{ variable: VariableSpec; operator: Operator; named: boolean }> = [];

  constructor(template: string) {
    this.template = template;
    this.#parts = parse(template);
    this.variableNames = this.#parts.flatMap((part) =>
      typeof part === "string" ? [] : part.variables.map((v) => v.name),
    );
    this.#matcher = new RegExp(`^${this.#parts.map((part) => this.#partPattern(part)).join("")}$`);
  }

  static isTemplate(value: string): boolean {
    return /\{[^}]+\}/.test(value);
  }

  #partPattern(part: Part): string {
    if (typeof part === "string") return escapeRegExp(part);
    const { operator } = part;
    // Reserved expansion may contain "/" and "?" but never the next literal's first character class of query.
    const valueClass = operator.allowReserved
      ? "[^?#]"
      : operator.named
        ? "[^&;#]"
        : `[^/?#${escapeRegExp(operator.separator)}]`;
    const pieces = part.variables.map((variable, index) => {
      this.#groups.push({ variable, operator, named: operator.named });
      const lead = index === 0 ? escapeRegExp(operator.first) : escapeRegExp(operator.separator);
      const body = variable.explode
        ? `(${valueClass}*(?:${escapeRegExp(operator.separator)}${valueClass}*)*)`
        : operator.named
          ? `(?:${escapeRegExp(variable.name)}=?)(${valueClass}*)`
          : `(${valueClass}${operator.allowReserved ? "*" : "+"})`;
      return `(?:${lead}${body})`;
    });
    // Query-style variables are optional in a concrete URI; path-style ones are required.
    return operator.named ? pieces.map((piece) => `${piece}?`).join("") : pieces.join("");
  }

  /** The variables of a URI produced by this template, or undefined when it does not match. */
  match(uri: string): Record<string, string | string[]> | undefined {
    if (uri.length > MAX_URI_LENGTH) return undefined;
    const found = this.#matcher.exec(uri);
    if (!found) return undefined;
    const result: Record<string, string | string[]> = {};
    this.#groups.forEach(({ variable, operator, named }, index) => {
      const raw = found[index + 1];
      if (raw === undefined) return;
      if (variable.explode) {
        const items = raw.split(operator.separator).map((item) => {
          const stripped = named && item.startsWith(`${variable.name}=`) ? item.slice(variable.name.length + 1) : item;
          return decode(stripped);
        });
        result[variable.name] = items;
      } else if (!operator.named && raw.includes(",")) {
        result[variable.name] = raw.split(",").map(decode);
      } else {
        result[variable.name] = decode(raw);
      }
    });
    return result;
  }

  /** Builds a URI from variables; undefined and empty lists are left out, as RFC 6570 says. */
  expand(variables: Record<string, string | string[] | undefined>): string {
    return this.#parts
      .map((part) => {
        if (typeof part === "string") return part;
        const { operator } = part;
        const pieces: string[] = [];
        for (const spec of part.variables) {
          const value = variables[spec.name];
          if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
          if (Array.isArray(value)) {
            const encoded = value.map((item) => encode(item, operator.allowReserved));
            if (spec.explode) {
              pieces.push(
                encoded.map((item) => (operator.named ? `${spec.name}=${item}` : item)).join(operator.separator),
              );
            } else {
              pieces.push(`${operator.named ? `${spec.name}=` : ""}${encoded.join(",")}`);
            }
          } else {
            const cut = spec.prefix === undefined ? value : [...value].slice(0, spec.prefix).join("");
            const encoded = encode(cut, operator.allowReserved);
            pieces.push(
              operator.named
                ? encoded === ""
                  ? `${spec.name}${operator.ifEmpty}`
                  : `${spec.name}=${encoded}`
                : encoded,
            );
          }
        }
        return pieces.length === 0 ? "" : operator.first + pieces.join(operator.separator);
      })
      .join("");
  }
}
