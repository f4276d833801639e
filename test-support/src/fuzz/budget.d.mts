// Types for budget.mjs (plain JavaScript so scripts/fuzz.mjs reads it without a build).

export const DEFAULT_SEED: number;
export const FUZZ_BUDGET: Readonly<Record<string, number>>;
export const FUZZ_BUDGET_TOTAL: number;
