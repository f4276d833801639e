// PLACEHOLDER until the full module lands: simple {var} templates only.
export class UriTemplate {
  readonly template: string;
  readonly variableNames: readonly string[];
  readonly #pattern: RegExp;
  constructor(template: string) {
    this.template = template;
    const names: string[] = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        if (part.startsWith("{")) {
          names.push(part.slice(1, -1));
          return "([^/]+)";
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("");
    this.variableNames = names;
    this.#pattern = new RegExp(`^${source}$`);
  }
  static isTemplate(value: string): boolean {
    return /\{[^}]+\}/.test(value);
  }
  match(uri: string): Record<string, string | string[]> | undefined {
    const found = this.#pattern.exec(uri);
    if (!found) return undefined;
    const out: Record<string, string> = {};
    this.variableNames.forEach((name, index) => {
      out[name] = decodeURIComponent(found[index + 1] ?? "");
    });
    return out;
  }
  expand(variables: Record<string, string | string[] | undefined>): string {
    return this.template.replace(/\{([^}]+)\}/g, (_, name: string) =>
      encodeURIComponent(String(variables[name] ?? "")),
    );
  }
}
