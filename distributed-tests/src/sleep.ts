/** A pause between steps (never a bound on how long something may take). */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
