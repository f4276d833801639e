import type {
  CallToolResult,
  GetPromptResult,
  PromptArgument,
  ReadResourceResult,
  Resource,
  ToolAnnotations,
} from "../protocol/types.js";
import type { StandardSchemaV1 } from "../schema/standard-schema.js";
import { type CompiledSchema, compileSchema, type SchemaInput } from "../schema/tool-schema.js";
import type { RequestContext } from "./context.js";
import type { CacheHint } from "./options.js";
import type { UriTemplate } from "./uri-template.js";

type Awaitable<T> = T | Promise<T>;

/** The arguments a tool handler receives: the schema's output type, or a plain record for JSON Schema. */
export type InferArgs<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : Record<string, unknown>;

export interface ToolConfig<S extends SchemaInput | undefined = SchemaInput | undefined> {
  title?: string;
  description?: string;
  /** A Standard Schema (zod 4, valibot, arktype...) or a plain JSON Schema object, advertised untouched. */
  input?: S;
  /** Declares `outputSchema`; results must then carry conforming `structuredContent`. */
  output?: SchemaInput;
  annotations?: ToolAnnotations;
  _meta?: Record<string, unknown>;
}

export type ToolHandler<S extends SchemaInput | undefined> = (
  args: InferArgs<S>,
  ctx: RequestContext,
) => Awaitable<CallToolResult>;

export interface RegisteredTool {
  readonly name: string;
  readonly config: ToolConfig;
  readonly input: CompiledSchema<Record<string, unknown>>;
  readonly output: CompiledSchema<Record<string, unknown>> | undefined;
  readonly handler: (args: Record<string, unknown>, ctx: RequestContext) => Awaitable<CallToolResult>;
  /** The tools/list entry, built once. */
  readonly definition: Record<string, unknown>;
}

export interface ResourceConfig {
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Resource["annotations"];
  _meta?: Record<string, unknown>;
  /** 2026 lane: `ttlMs` / `cacheScope` of this resource's `resources/read` results. */
  cacheHint?: CacheHint;
}

export type ResourceHandler = (uri: URL, ctx: RequestContext) => Awaitable<ReadResourceResult>;

export interface RegisteredResource {
  readonly uri: string;
  readonly cacheHint: CacheHint | undefined;
  readonly definition: Resource;
  readonly handler: ResourceHandler;
}

export type CompleteCallback = (value: string, context: { arguments: Record<string, string> }) => Awaitable<string[]>;

export interface ResourceTemplateConfig extends ResourceConfig {
  /** Lists concrete resources of this template in resources/list. */
  list?: (ctx: RequestContext) => Awaitable<Resource[]>;
  /** Completions for template variables, by variable name. */
  complete?: Record<string, CompleteCallback>;
}

export type ResourceTemplateHandler = (
  uri: URL,
  variables: Record<string, string | string[]>,
  ctx: RequestContext,
) => Awaitable<ReadResourceResult>;

export interface RegisteredResourceTemplate {
  readonly template: UriTemplate;
  readonly config: ResourceTemplateConfig;
  readonly definition: Record<string, unknown>;
  readonly handler: ResourceTemplateHandler;
}

export interface PromptConfig {
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  /** Completions for arguments, by argument name. */
  complete?: Record<string, CompleteCallback>;
  _meta?: Record<string, unknown>;
}

export type PromptHandler = (args: Record<string, string>, ctx: RequestContext) => Awaitable<GetPromptResult>;

export interface RegisteredPrompt {
  readonly name: string;
  readonly config: PromptConfig;
  readonly definition: Record<string, unknown>;
  readonly handler: PromptHandler;
}

export type ListKind = "tools" | "resources" | "prompts";

/** A handle to something registered: remove it at run time (clients get list_changed). */
export interface Registration {
  remove(): void;
}

function definedEntries(entries: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

/** Everything a server offers; tells its owner when a list changes so sessions hear list_changed. */
export class Registry {
  readonly tools = new Map<string, RegisteredTool>();
  readonly resources = new Map<string, RegisteredResource>();
  readonly templates: RegisteredResourceTemplate[] = [];
  readonly prompts = new Map<string, RegisteredPrompt>();
  #toolList: Record<string, unknown>[] | undefined;
  onListChanged: (kind: ListKind) => void = () => {};

  addTool(name: string, config: ToolConfig, handler: RegisteredTool["handler"]): Registration {
    if (this.tools.has(name)) throw new Error(`Tool "${name}" is already registered`);
    const input = compileSchema<Record<string, unknown>>(config.input, "input");
    const output =
      config.output === undefined ? undefined : compileSchema<Record<string, unknown>>(config.output, "output");
    const definition = definedEntries({
      name,
      title: config.title,
      description: config.description,
      inputSchema: input.jsonSchema,
      outputSchema: output?.jsonSchema,
      annotations: config.annotations,
      _meta: config._meta,
    });
    this.tools.set(name, { name, config, input, output, handler, definition });
    return this.#changed("tools", () => this.tools.delete(name));
  }

  /** tools/list entries, cached until the set of tools changes. */
  toolList(): Record<string, unknown>[] {
    this.#toolList ??= [...this.tools.values()].map((tool) => tool.definition);
    return this.#toolList;
  }

  addResource(uri: string, config: ResourceConfig, handler: ResourceHandler): Registration {
    if (this.resources.has(uri)) throw new Error(`Resource "${uri}" is already registered`);
    const { cacheHint, ...listed } = config;
    const definition = definedEntries({ uri, ...listed }) as Resource;
    this.resources.set(uri, { uri, cacheHint, definition, handler });
    return this.#changed("resources", () => this.resources.delete(uri));
  }

  addResourceTemplate(
    template: UriTemplate,
    config: ResourceTemplateConfig,
    handler: ResourceTemplateHandler,
  ): Registration {
    // The RFC 6570 parser is imported by the apps that declare templates, so it is not in every bundle.
    if (typeof template === "string") {
      throw new TypeError(`resourceTemplate takes new UriTemplate("${template}") from @mcp-edge/core, not a string`);
    }
    const { list: _list, complete: _complete, cacheHint: _cacheHint, ...rest } = config;
    const definition = definedEntries({ uriTemplate: template.template, ...rest });
    const entry: RegisteredResourceTemplate = { template, config, definition, handler };
    this.templates.push(entry);
    return this.#changed("resources", () => {
      const index = this.templates.indexOf(entry);
      if (index >= 0) this.templates.splice(index, 1);
    });
  }

  addPrompt(name: string, config: PromptConfig, handler: PromptHandler): Registration {
    if (this.prompts.has(name)) throw new Error(`Prompt "${name}" is already registered`);
    const definition = definedEntries({
      name,
      title: config.title,
      description: config.description,
      arguments: config.arguments,
      _meta: config._meta,
    });
    this.prompts.set(name, { name, config, definition, handler });
    return this.#changed("prompts", () => this.prompts.delete(name));
  }

  #changed(kind: ListKind, remove: () => void): Registration {
    if (kind === "tools") this.#toolList = undefined;
    this.onListChanged(kind);
    let removed = false;
    return {
      remove: () => {
        if (removed) return;
        removed = true;
        remove();
        if (kind === "tools") this.#toolList = undefined;
        this.onListChanged(kind);
      },
    };
  }
}
