// The storage packages' tests still import the reader from here under its former name.
export type { SseEvent } from "../wire/sse.js";
export { type AuthRequestSpec, authHeadersProperty, authorizationValue, authRequestSpec } from "./auth-property.js";
export { DEFAULT_SEED, FUZZ_BUDGET, FUZZ_BUDGET_TOTAL } from "./budget.mjs";
export { type CheckOptions, ContractViolation, checkOutcome, type Observed, observe } from "./check.js";
export { BOTH, FuzzHarness, type FuzzTarget, SUBJECT_HEADER, subjectFromHeader } from "./harness.js";
export * from "./http-arbitraries.js";
export * from "./json-arbitraries.js";
export * from "./message-arbitraries.js";
export * from "./oracle.js";
export { repliesProperty } from "./replies-property.js";
export { type FuzzServerShape, type FuzzToolContext, type FuzzToolResult, installFuzzTools } from "./server-tools.js";
export { checkProperty, fuzzRuns, fuzzSeed, fuzzTestTimeout } from "./settings.js";
export { ANSWER_CODES, ErrorCodes, RULES, type RuleName, type StatusRule } from "./status-table.js";
export { streamsProperty } from "./streams-property.js";
export { surfaceProperty } from "./surface-property.js";
