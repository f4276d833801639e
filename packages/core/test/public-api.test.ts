// The public names of each entry point, pinned: adding or dropping one is a decision, made here and in
// the README's "Public API" section, where every name is documented.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const DEFINITION = [
  "AllowListEnv",
  "AllowLists",
  "CacheHint",
  "CacheableMethod",
  "AuthError",
  "AuthOptions",
  "CallToolResult",
  "ClientCapabilities",
  "CompleteCallback",
  "CompleteResult",
  "ContentBlock",
  "CorsOptions",
  "CreateMessageParams",
  "CreateMessageResult",
  "ElicitFormParams",
  "ElicitParams",
  "ElicitResult",
  "ElicitUrlParams",
  "ErrorCode",
  "GetPromptResult",
  "Implementation",
  "InferArgs",
  "JsonSchemaConverter",
  "JsonRpcMessage",
  "LATEST_PROTOCOL_VERSION",
  "ListRootsResult",
  "LoggingLevel",
  "MODERN_PROTOCOL_VERSIONS",
  "McpError",
  "McpServer",
  "McpServerCore",
  "McpServerOptions",
  "ModernProtocolVersion",
  "PlatformDefaults",
  "Principal",
  "PromptConfig",
  "PromptHandler",
  "PromptMessage",
  "ProtectedResource",
  "ProtocolVersion",
  "ReadResourceResult",
  "Registration",
  "RequestContext",
  "RequestStateOptions",
  "RequestId",
  "ResourceConfig",
  "ResourceContents",
  "ResourceHandler",
  "ResourceTemplateConfig",
  "ResourceTemplateHandler",
  "SUPPORTED_PROTOCOL_VERSIONS",
  "SchemaInput",
  "ScopeRequirements",
  "ServerRequestOptions",
  "StandardJSONSchemaV1",
  "StandardSchemaV1",
  "StoreUnavailableError",
  "ToolAnnotations",
  "ToolConfig",
  "ToolHandler",
  "UriTemplate",
  "UriTemplateVariables",
  "allowListsFromEnv",
  "fullJsonSchema",
  "lane2026",
  "parseAllowList",
  "protectedResource",
  "withJsonSchema",
];

const ENTRIES: Record<string, { file: string; names: string[] }> = {
  "@mcp-edge/core": {
    file: "../src/index.ts",
    names: [
      ...DEFINITION,
      "EventStore",
      "InMemoryEventStore",
      "InMemorySessionStore",
      "InMemoryStreamManager",
      "SessionStore",
      "StreamManager",
    ],
  },
  "@mcp-edge/core/stateless": { file: "../src/stateless.ts", names: [...DEFINITION, "StatelessServerOptions"] },
  "@mcp-edge/core/storage": {
    file: "../src/storage.ts",
    names: [
      "ClientCapabilities",
      "Defaults",
      "EventStore",
      "Implementation",
      "JsonRpcMessage",
      "ListenerEvent",
      "SESSION_RECORD_VERSION",
      "SessionRecord",
      "SessionStore",
      "StoreUnavailableError",
      "StoredEvent",
      "StreamManager",
      "Unsubscribe",
      "isStoreUnavailable",
    ],
  },
};

function exportedNames(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`cannot read the exports of ${file}`);
    names.set(
      file,
      checker.getExportsOfModule(module).map((symbol) => symbol.name),
    );
  }
  return names;
}

const actual = exportedNames(Object.values(ENTRIES).map((entry) => here(entry.file)));
const readme = readFileSync(here("../README.md"), "utf8");
const apiSection = readme.slice(readme.indexOf("## Public API"));

describe("public API", () => {
  for (const [entry, { file, names }] of Object.entries(ENTRIES)) {
    it(`${entry} exports exactly its pinned names`, () => {
      expect([...(actual.get(here(file)) ?? [])].sort()).toEqual([...names].sort());
    });
  }

  it("documents every public name in the README's Public API section", () => {
    expect(readme).toContain("## Public API");
    const all = new Set(Object.values(ENTRIES).flatMap((entry) => entry.names));
    const undocumented = [...all].filter((name) => !apiSection.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });
});
