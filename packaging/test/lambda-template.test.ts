// apps/lambda/template.yaml checked against what `sam build` / `sam deploy` need, without the SAM CLI (not
// installable here): the SAM transform, a RESPONSE_STREAM Function URL and an HTTP API function, handlers
// that the esbuild build of the files in the app produces, a Lambda Node.js runtime that is still
// supported, and no reference to a name that neither the template nor the SAM transform defines.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../src/tarballs.mjs";
import { parseTemplate, references } from "./cloudformation.js";

const APP = join(ROOT, "apps", "lambda");
const template = parseTemplate(readFileSync(join(APP, "template.yaml"), "utf8"));

/** Lambda's Node.js runtimes not yet deprecated (nodejs20.x was deprecated with Node 20's end of life). */
const SUPPORTED_RUNTIMES = ["nodejs22.x", "nodejs24.x"];

/** CloudFormation's pseudo parameters, referable from any template. */
const PSEUDO_PARAMETERS = [
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
];

type Properties = Record<string, unknown>;
interface SamFunction {
  name: string;
  properties: Properties;
  metadata: Properties;
}

/** Each AWS::Serverless::Function with the Globals section applied, as the SAM transform applies it. */
const functions: SamFunction[] = Object.entries(template.Resources)
  .filter(([, resource]) => resource.Type === "AWS::Serverless::Function")
  .map(([name, resource]) => ({
    name,
    properties: { ...template.Globals?.Function, ...resource.Properties },
    metadata: resource.Metadata ?? {},
  }));

function events(fn: SamFunction): { Type: string; Properties?: Properties }[] {
  return Object.values((fn.properties.Events as Record<string, { Type: string; Properties?: Properties }>) ?? {});
}

/**
 * Logical IDs the SAM transform generates and a template may refer to (the SAM specification's "generated
 * resources"): `<Function>Url` for a FunctionUrlConfig, `<Function>Role` without a Role, and the implicit
 * `ServerlessHttpApi` / `ServerlessRestApi` for HttpApi / Api events that name no API of their own.
 */
function generatedNames(): string[] {
  return functions.flatMap((fn) => [
    ...(fn.properties.FunctionUrlConfig ? [`${fn.name}Url`] : []),
    ...(fn.properties.Role ? [] : [`${fn.name}Role`]),
    ...events(fn).flatMap((event) => {
      if (event.Type === "HttpApi" && !event.Properties?.ApiId) return ["ServerlessHttpApi"];
      if (event.Type === "Api" && !event.Properties?.RestApiId) return ["ServerlessRestApi"];
      return [];
    }),
  ]);
}

/** The esbuild build's entry whose output file the handler names (`stream.handler` -> src/stream.ts). */
function handlerEntry(fn: SamFunction): { entry: string; exported: string } {
  const handler = String(fn.properties.Handler);
  const dot = handler.lastIndexOf(".");
  const file = handler.slice(0, dot);
  const exported = handler.slice(dot + 1);
  const build = fn.metadata.BuildProperties as { EntryPoints?: string[] } | undefined;
  const entries = build?.EntryPoints ?? [];
  const entry = entries.find((candidate) => basename(candidate, extname(candidate)) === file);
  if (entry === undefined) throw new Error(`${fn.name}: no entry point builds ${file} (${entries.join(", ")})`);
  return { entry, exported };
}

describe("apps/lambda/template.yaml", () => {
  it("is a SAM template", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(template.Transform).toBe("AWS::Serverless-2016-10-31");
    expect(functions.map((fn) => fn.name).sort()).toEqual(["McpApiFunction", "McpStreamFunction"]);
  });

  it("streams through a Function URL in RESPONSE_STREAM mode", () => {
    const streaming = functions.filter((fn) => fn.properties.FunctionUrlConfig !== undefined);
    expect(streaming.map((fn) => fn.name)).toEqual(["McpStreamFunction"]);
    const config = streaming[0]?.properties.FunctionUrlConfig as Properties;
    expect(config.InvokeMode).toBe("RESPONSE_STREAM");
    expect(["NONE", "AWS_IAM"]).toContain(config.AuthType);
    // A Function URL invocation may run up to Lambda's 900 s ceiling.
    expect(Number(streaming[0]?.properties.Timeout)).toBeLessThanOrEqual(900);
  });

  it("serves the buffered function on an HTTP API route", () => {
    const api = functions.find((fn) => fn.name === "McpApiFunction");
    const httpApi = events(api as SamFunction).filter((event) => event.Type === "HttpApi");
    expect(httpApi).toHaveLength(1);
    expect(httpApi[0]?.Properties?.Path).toBe("/mcp");
    expect(["ANY", "GET", "POST", "DELETE", "OPTIONS"]).toContain(httpApi[0]?.Properties?.Method);
    // API Gateway gives an integration 30 s at most; a longer function timeout would only hide that.
    expect(Number(api?.properties.Timeout)).toBeLessThanOrEqual(30);
  });

  it.each(functions.map((fn) => [fn.name, fn] as const))("%s runs on a supported Node.js runtime", (_, fn) => {
    expect(SUPPORTED_RUNTIMES).toContain(fn.properties.Runtime);
  });

  it.each(functions.map((fn) => [fn.name, fn] as const))(
    "%s: CodeUri, esbuild entry and handler export exist in the app",
    (_, fn) => {
      const codeUri = fn.properties.CodeUri;
      expect(typeof codeUri).toBe("string");
      const code = join(APP, String(codeUri));
      expect(existsSync(join(code, "package.json"))).toBe(true);
      expect(fn.metadata.BuildMethod).toBe("esbuild");
      const build = fn.metadata.BuildProperties as { Format?: string; OutExtension?: string[] };
      // The bundle holds no package.json with "type": "module", so Lambda loads ESM only from .mjs files.
      if (build.Format === "esm") expect(build.OutExtension).toContain(".js=.mjs");
      const { entry, exported } = handlerEntry(fn);
      const source = join(code, entry);
      expect(existsSync(source)).toBe(true);
      expect(readFileSync(source, "utf8")).toMatch(new RegExp(`export const ${exported}\\b`));
    },
  );

  it("ends every stored session's streams before the streaming function's timeout", () => {
    const timeoutMs = Number(functions.find((fn) => fn.name === "McpStreamFunction")?.properties.Timeout) * 1_000;
    const variants = readdirSync(join(APP, "src")).filter((file) => /^stream\..+\.ts$/.test(file));
    expect(variants.length).toBeGreaterThan(0);
    for (const file of variants) {
      const match = /maxStreamDurationMs:\s*([\d_]+)/.exec(readFileSync(join(APP, "src", file), "utf8"));
      expect(match, file).not.toBeNull();
      expect(Number((match?.[1] ?? "").replaceAll("_", "")), file).toBeLessThan(timeoutMs);
    }
  });

  it("passes AllowedHosts to the functions as MCP_ALLOWED_HOSTS", () => {
    expect(template.Parameters?.AllowedHosts?.Type).toBe("String");
    for (const fn of functions) {
      const environment = fn.properties.Environment as { Variables?: Properties } | undefined;
      expect(environment?.Variables?.MCP_ALLOWED_HOSTS, fn.name).toEqual({ Ref: "AllowedHosts" });
    }
  });

  it("refers only to parameters and resources the template or the SAM transform defines", () => {
    const defined = new Set([
      ...Object.keys(template.Parameters ?? {}),
      ...Object.keys(template.Resources),
      ...PSEUDO_PARAMETERS,
      ...generatedNames(),
    ]);
    const found = references(template);
    expect(found.map((reference) => reference.name)).toEqual(
      expect.arrayContaining(["AllowedHosts", "McpStreamFunctionUrl", "ServerlessHttpApi"]),
    );
    const unknown = found.filter((reference) => !defined.has(reference.name));
    expect(unknown).toEqual([]);
    // GetAtt and Sub's `${A.b}` need a resource, not a parameter.
    for (const reference of found.filter((candidate) => candidate.kind === "Fn::GetAtt")) {
      expect(Object.keys(template.Parameters ?? {}), reference.at).not.toContain(reference.name);
    }
  });

  it("outputs values built from existing resources", () => {
    const outputs = Object.entries(template.Outputs ?? {});
    expect(outputs.map(([name]) => name).sort()).toEqual(["ApiUrl", "StreamingUrl"]);
    const resources = new Set([...Object.keys(template.Resources), ...generatedNames()]);
    for (const [name, output] of outputs) {
      const named = references(output.Value).filter((reference) => !reference.name.startsWith("AWS::"));
      expect(named.length, name).toBeGreaterThan(0);
      for (const reference of named) expect(resources.has(reference.name), `${name}: ${reference.name}`).toBe(true);
    }
    expect(template.Outputs?.StreamingUrl?.Value).toEqual({ "Fn::GetAtt": ["McpStreamFunctionUrl", "FunctionUrl"] });
  });
});
