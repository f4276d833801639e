// Reads a CloudFormation / SAM template as CloudFormation does: the short-form intrinsic functions
// (`!Ref`, `!GetAtt`, `!Sub`, ...) become their long form (`{ Ref }`, `{ "Fn::GetAtt" }`, ...), so a test
// can follow every reference. A plain YAML parser would read them as bare strings and hide them.
import { parse, type Tags, type YAMLMap, type YAMLSeq } from "yaml";

/** Short tag -> long form key, as listed in CloudFormation's intrinsic function reference. */
const INTRINSICS: Record<string, string> = {
  Ref: "Ref",
  Condition: "Condition",
  GetAtt: "Fn::GetAtt",
  Sub: "Fn::Sub",
  Join: "Fn::Join",
  Select: "Fn::Select",
  Split: "Fn::Split",
  If: "Fn::If",
  Equals: "Fn::Equals",
  Not: "Fn::Not",
  And: "Fn::And",
  Or: "Fn::Or",
  FindInMap: "Fn::FindInMap",
  GetAZs: "Fn::GetAZs",
  ImportValue: "Fn::ImportValue",
  Base64: "Fn::Base64",
  Cidr: "Fn::Cidr",
};

const TAGS: Tags = Object.entries(INTRINSICS).flatMap(([short, key]) => [
  {
    tag: `!${short}`,
    // `!GetAtt Resource.Attribute` is the short form of `Fn::GetAtt: [Resource, Attribute]`.
    resolve: (value: string) => {
      if (short !== "GetAtt") return { [key]: value };
      const dot = value.indexOf(".");
      return { [key]: [value.slice(0, dot), value.slice(dot + 1)] };
    },
  },
  { tag: `!${short}`, collection: "seq" as const, resolve: (node: YAMLMap | YAMLSeq) => ({ [key]: node.toJSON() }) },
  { tag: `!${short}`, collection: "map" as const, resolve: (node: YAMLMap | YAMLSeq) => ({ [key]: node.toJSON() }) },
]);

export type Template = {
  AWSTemplateFormatVersion?: string;
  Transform?: string | string[];
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Globals?: { Function?: Record<string, unknown> };
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
};

export function parseTemplate(text: string): Template {
  return parse(text, { customTags: TAGS, strict: true, prettyErrors: true }) as Template;
}

/** A name a template refers to: `Ref`, `Fn::GetAtt` or a `${...}` of `Fn::Sub`, and where it was found. */
export interface Reference {
  kind: "Ref" | "Fn::GetAtt" | "Fn::Sub";
  name: string;
  at: string;
}

export function references(value: unknown, at = ""): Reference[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => references(item, `${at}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  const found: Reference[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const here = at ? `${at}.${key}` : key;
    if (key === "Ref" && typeof inner === "string") found.push({ kind: "Ref", name: inner, at: here });
    else if (key === "Fn::GetAtt" && Array.isArray(inner)) found.push({ kind: key, name: String(inner[0]), at: here });
    else if (key === "Fn::Sub") found.push(...subReferences(inner, here));
    else found.push(...references(inner, here));
  }
  return found;
}

/** `${Name}` and `${Name.Attribute}` in a Sub string; `${!Literal}` is text, and the list form's own variables are local. */
function subReferences(value: unknown, at: string): Reference[] {
  const [text, variables] = Array.isArray(value) ? value : [value, {}];
  const local = new Set(Object.keys((variables as Record<string, unknown>) ?? {}));
  const found: Reference[] = Array.isArray(value) ? references(variables, at) : [];
  for (const match of String(text).matchAll(/\$\{([^}!][^}]*)\}/g)) {
    const name = (match[1] ?? "").split(".")[0] ?? "";
    if (!local.has(name)) found.push({ kind: "Fn::Sub", name, at });
  }
  return found;
}
