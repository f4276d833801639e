// JSON-RPC method names.
// Callers import the module itself (`import * as Method from`), never through a re-export: a bundler
// then inlines the values used and drops the rest, which an object of constants would keep whole.

export const Initialize = "initialize";
export const Initialized = "notifications/initialized";
export const Ping = "ping";
export const ToolsList = "tools/list";
export const ToolsCall = "tools/call";
export const ResourcesList = "resources/list";
export const ResourcesTemplatesList = "resources/templates/list";
export const ResourcesRead = "resources/read";
export const ResourcesSubscribe = "resources/subscribe";
export const ResourcesUnsubscribe = "resources/unsubscribe";
export const PromptsList = "prompts/list";
export const PromptsGet = "prompts/get";
export const CompletionComplete = "completion/complete";
export const LoggingSetLevel = "logging/setLevel";
export const Cancelled = "notifications/cancelled";
export const Progress = "notifications/progress";
export const Message = "notifications/message";
export const ResourceUpdated = "notifications/resources/updated";
export const ResourceListChanged = "notifications/resources/list_changed";
export const ToolListChanged = "notifications/tools/list_changed";
export const PromptListChanged = "notifications/prompts/list_changed";
export const RootsListChanged = "notifications/roots/list_changed";
export const SamplingCreateMessage = "sampling/createMessage";
export const ElicitationCreate = "elicitation/create";
export const RootsList = "roots/list";
export const ServerDiscover = "server/discover";
export const SubscriptionsListen = "subscriptions/listen";
export const SubscriptionsAcknowledged = "notifications/subscriptions/acknowledged";
