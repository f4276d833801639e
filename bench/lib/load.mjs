// The load generator, run by run.mjs in its own process on the other core. Protocol on stdio:
//   argv[2] = JSON { url, headers, body, connections, warmupSec, durationSec, amount? }
//   (`amount`: a fixed number of requests instead of a duration, for the quick smoke mode)
//   warms up (unmeasured), prints "ARMED", waits for a line on stdin (the harness reads the server's
//   CPU time then), loads for durationSec, prints one JSON line with the counts.
import { createInterface } from "node:readline";
import autocannon from "autocannon";

const config = JSON.parse(process.argv[2]);

function run(durationSec, amount) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: config.url,
        method: "POST",
        headers: config.headers,
        body: config.body,
        connections: config.connections,
        pipelining: 1,
        ...(amount ? { amount } : { duration: durationSec }),
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

if (config.warmupSec > 0) await run(config.warmupSec);
process.stdout.write("ARMED\n");
const lines = createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once("line", resolve));
const started = performance.now();
const result = await run(config.durationSec, config.amount);
const elapsedMs = performance.now() - started;
lines.close();
const ok = result["2xx"];
process.stdout.write(
  `${JSON.stringify({
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedMs,
    rps: (ok * 1000) / elapsedMs,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  })}\n`,
);
