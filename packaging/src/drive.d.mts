export interface Observed {
  server: string | undefined;
  sessionId: string | undefined;
  sum: string | undefined;
  progress: number[];
  announced: unknown[];
}
export function drive(url: string, options: { sessions: boolean }): Promise<Observed>;
