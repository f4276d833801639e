// Types for scripts/conformance.mjs, so TypeScript tests can import it.
export type Mode = "stateless" | "stateful";

export interface ScenarioResult {
  scenario: string;
  status: "pass" | "fail";
  /** `check-id: message` of every FAILURE check. */
  failures: string[];
  /** `check-id: message` of every WARNING check (warnings never fail a scenario). */
  warnings: string[];
  failedChecks: string[];
  checks: number;
}

export interface Verdict extends ScenarioResult {
  expected: "pass" | "fail";
  ok: boolean;
}

export interface Comparison {
  verdicts: Verdict[];
  unexpectedFailures: string[];
  unexpectedPasses: string[];
  expectedFailures: string[];
}

export interface RunResult {
  version: string;
  mode: Mode;
  url: string;
  outDir: string;
  logFile: string;
  exitCode: number;
  durationMs: number;
  results: ScenarioResult[];
  baseline: string[];
  comparison: Comparison;
}

export const TOOLS_DIR: string;
export const RESULTS_DIR: string;
export const CONFORMANCE_VERSIONS: string[];
export const MODES: Mode[];
export const SUITE_ALL_0_1_16: string[];
export function suiteArgs(version: string): string[];
export function ensureNode22(opts?: { quiet?: boolean }): Promise<string>;
export function npmInstallInto(dir: string, spec: string, opts?: { quiet?: boolean }): Promise<void>;
export function ensureConformanceCli(version: string, opts?: { quiet?: boolean }): Promise<string>;
export function provisionConformance(opts?: {
  versions?: string[];
  quiet?: boolean;
}): Promise<{ node: string; clis: Record<string, string> }>;
export function baselineFile(mode: Mode): string;
export function readBaseline(file: string): string[];
export function compareToBaseline(results: ScenarioResult[], baseline: string[]): Comparison;
export function scenarioResult(scenario: string, checks: Array<{ id?: string; status: string }>): ScenarioResult;
export function parseSummary(output: string): Array<{ scenario: string; failed: number; warnings: number }>;
export function parseResultsDir(dir: string, output?: string): ScenarioResult[];
export function runConformance(opts: {
  url: string;
  version: string;
  mode: Mode;
  outDir?: string;
  echo?: boolean;
  node?: string;
  cli?: string;
  quiet?: boolean;
}): Promise<RunResult>;
export function listScenarios(version: string, opts?: { node?: string; cli?: string }): Promise<string[]>;
export function detectMode(url: string): Promise<Mode>;
export function waitForServer(url: string, opts?: { timeoutMs?: number; isAlive?: () => boolean }): Promise<void>;
export function formatTable(run: RunResult): string;
export function runIsGreen(run: RunResult): boolean;
